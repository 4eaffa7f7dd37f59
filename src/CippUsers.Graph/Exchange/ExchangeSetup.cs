using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

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
        services.AddHttpClient(ExchangeCommands.HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<ExchangeOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => TrustedCertificate.CreateHandler(sp.GetRequiredService<IOptions<GraphOptions>>().Value.TrustedCertificateThumbprint))
            .AddResilienceHandler("exchange-retry", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<ExchangeOptions>>().Value;
                if (options.MaxRetries == 0)
                    return;
                // Retries 408, 429 (JSON or Exchange's plain-text "maximum number of concurrent requests") and 5xx, and
                // no answer at all, waiting Retry-After when sent. Every cmdlet the library sends sets absolute values,
                // so repeating one cannot change more than once.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetries,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                });
            });
        services.AddSingleton(sp => new ExchangeCommands(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<TenantClients>(),
            sp.GetRequiredService<CustomerTenants>(), sp.GetRequiredService<IOptions<ExchangeOptions>>(), sp.GetRequiredService<IOptions<GraphOptions>>(),
            sp.GetRequiredService<ILogger<ExchangeCommands>>()));
        return services;
    }
}
