using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CippUsers.Graph;

/// <summary>How a named HttpClient for a non-Graph API (Exchange, Sherweb) times out, trusts and retries.</summary>
internal sealed record RetrySettings(TimeSpan RequestTimeout, string? TrustedCertificateThumbprint, int MaxRetries, TimeSpan RetryDelay);

internal static class RetryingHttpClients
{
    /// <summary>
    /// A named client that retries 408, 429, 5xx and no answer at all with exponential back-off, honouring Retry-After;
    /// requests <paramref name="neverRetry"/> picks (writes whose lost answer may hide a change) are sent once.
    /// </summary>
    public static IHttpClientBuilder AddRetryingHttpClient(this IServiceCollection services, string name, Func<IServiceProvider, RetrySettings> settings,
        Func<HttpRequestMessage, bool>? neverRetry = null)
    {
        var builder = services.AddHttpClient(name, (sp, http) => http.Timeout = settings(sp).RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => TrustedCertificate.CreateHandler(settings(sp).TrustedCertificateThumbprint));
        builder.AddResilienceHandler(name + "-retry", (pipeline, context) =>
        {
            var options = settings(context.ServiceProvider);
            if (options.MaxRetries == 0)
                return;
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => neverRetry is not null && args.Context.GetRequestMessage() is { } request && neverRetry(request)
                    ? PredicateResult.False()
                    : ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)),
            });
        });
        return builder;
    }
}
