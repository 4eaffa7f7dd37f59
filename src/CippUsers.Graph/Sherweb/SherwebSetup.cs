using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

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

        services.AddHttpClient(SherwebClient.HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<SherwebOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => TrustedCertificate.CreateHandler(sp.GetRequiredService<IOptions<SherwebOptions>>().Value.TrustedCertificateThumbprint))
            .AddResilienceHandler("sherweb-retry", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<SherwebOptions>>().Value;
                if (options.MaxRetries == 0)
                    return;
                // Retries 408, 429 and 5xx (and no answer at all) of reads and the token call, waiting Retry-After when
                // Sherweb sends one. Never an amendment: when its answer is lost Sherweb may have accepted it, and a
                // blind repeat could change the quantity again; SherwebClient reports that as Unknown and the caller
                // reconciles by re-reading the subscription instead.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetries,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => args.Context.GetRequestMessage() is { } request && SherwebClient.IsWrite(request)
                        ? PredicateResult.False()
                        : ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                });
            });
        services.TryAddSingleton(sp => new SherwebClient(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<SherwebOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SherwebClient>>()));
        return services;
    }
}
