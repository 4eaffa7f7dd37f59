using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CippUsers.Graph.Sherweb;

/// <summary>Registers the Sherweb partner API client.</summary>
public static class SherwebSetup
{
    /// <summary>Binds and validates <see cref="SherwebOptions"/> (section "Sherweb") and registers <see cref="SherwebClient"/>.</summary>
    public static IServiceCollection AddCippSherweb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SherwebOptions>()
            .Bind(configuration.GetSection(SherwebOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SherwebOptions>, SherwebOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();

        // Reads and the token call are retried. Never an amendment: when its answer is lost Sherweb may have accepted it,
        // and a blind repeat could change the quantity again; SherwebClient reports that as Unknown and the caller
        // reconciles by re-reading the subscription instead.
        services.AddRetryingHttpClient(SherwebClient.HttpClientName, sp =>
        {
            var options = sp.GetRequiredService<IOptions<SherwebOptions>>().Value;
            return new RetrySettings(options.RequestTimeout, options.TrustedCertificateThumbprint, options.MaxRetries, options.RetryDelay);
        }, SherwebClient.IsWrite);
        services.TryAddSingleton(sp => new SherwebClient(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<SherwebOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SherwebClient>>()));
        return services;
    }
}
