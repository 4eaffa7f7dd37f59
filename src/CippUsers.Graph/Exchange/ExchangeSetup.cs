using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CippUsers.Graph.Exchange;

/// <summary>Registers the Exchange Online client (part of <see cref="GraphSetup.AddCippGraph"/>).</summary>
internal static class ExchangeSetup
{
    public static IServiceCollection AddCippExchange(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExchangeOptions>()
            .Bind(configuration.GetSection(ExchangeOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The emulator's certificate is trusted exactly as for Graph (Graph:TrustedCertificateThumbprint): same server.
        // Every cmdlet the library sends sets absolute values, so repeating one after a lost answer changes nothing more.
        services.AddRetryingHttpClient(ExchangeCommands.HttpClientName, sp =>
        {
            var options = sp.GetRequiredService<IOptions<ExchangeOptions>>().Value;
            return new RetrySettings(options.RequestTimeout, sp.GetRequiredService<IOptions<GraphOptions>>().Value.TrustedCertificateThumbprint,
                options.MaxRetries, options.RetryDelay);
        });
        services.AddSingleton(sp => new ExchangeCommands(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<TenantClients>(),
            sp.GetRequiredService<CustomerTenants>(), sp.GetRequiredService<IOptions<ExchangeOptions>>(), sp.GetRequiredService<IOptions<GraphOptions>>(),
            sp.GetRequiredService<ILogger<ExchangeCommands>>()));
        return services;
    }
}
