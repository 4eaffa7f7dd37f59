using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace CippUsers.Graph;

/// <summary>One <see cref="GraphServiceClient"/> per customer tenant, built on first use and cached.</summary>
public sealed class TenantClients : IDisposable
{
    private readonly GraphOptions options;
    private readonly TenantWriteLimiters limiters;
    private readonly ConcurrentDictionary<string, Lazy<GraphServiceClient>> clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Azure.Core.TokenCredential>> credentials = new(StringComparer.OrdinalIgnoreCase);
    private readonly SocketsHttpHandler sockets;
    private readonly HttpClient tokenClient;

    internal TenantClients(IOptions<GraphOptions> options, TenantWriteLimiters limiters)
    {
        this.options = options.Value;
        this.limiters = limiters;
        sockets = TrustedCertificate.CreateHandler(this.options.TrustedCertificateThumbprint);
        tokenClient = new HttpClient(sockets, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The Graph client for <paramref name="tenantId"/>. Throws for a tenant that is not configured.</summary>
    public GraphServiceClient For(string tenantId)
    {
        var tenant = Tenant(tenantId);
        return clients.GetOrAdd(tenant.TenantId, _ => new Lazy<GraphServiceClient>(() => Build(tenant))).Value;
    }

    /// <summary>
    /// The tenant's credential (partner app or the tenant's own app), shared by Graph and Exchange Online so each asks the
    /// same token cache for its own scope. Throws for a tenant that is not configured.
    /// </summary>
    internal Azure.Core.TokenCredential CredentialFor(string tenantId)
    {
        var tenant = Tenant(tenantId);
        return credentials.GetOrAdd(tenant.TenantId, _ => new Lazy<Azure.Core.TokenCredential>(() => TenantCredentials.Create(options, tenant, tokenClient))).Value;
    }

    private CustomerTenantOptions Tenant(string tenantId) =>
        options.Tenants.FirstOrDefault(t => string.Equals(t.TenantId, tenantId, StringComparison.OrdinalIgnoreCase))
            ?? HomeTenant(tenantId)
            ?? throw new ArgumentException("That tenant is not one of the configured customer tenants.", nameof(tenantId));

    private CustomerTenantOptions? HomeTenant(string tenantId) =>
        string.Equals(options.HomeTenantId, tenantId, StringComparison.OrdinalIgnoreCase)
            ? new CustomerTenantOptions { TenantId = tenantId, DisplayName = "MSP", DefaultDomain = "" }
            : null;

    /// <summary>Graph's v1.0 root, e.g. https://graph.microsoft.com/v1.0.</summary>
    internal string V1BaseUrl => options.GraphBaseUrl.TrimEnd('/') + "/v1.0";

    private GraphServiceClient Build(CustomerTenantOptions tenant)
    {
        var credential = CredentialFor(tenant.TenantId);
        var graphHost = new Uri(options.GraphBaseUrl).Host;
        var tokens = new AzureIdentityAccessTokenProvider(credential, allowedHosts: [graphHost], observabilityOptions: null,
            isCaeEnabled: false, scopes: ["https://graph.microsoft.com/.default"]);
        var auth = new BaseBearerTokenAuthenticationProvider(tokens);

        // Keep Graph's default middleware (retry honouring Retry-After, redirects, compression, telemetry),
        // configure the retry count, and put the write budget innermost so every retry is budgeted too.
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        for (var i = 0; i < handlers.Count; i++)
        {
            if (handlers[i] is RetryHandler)
                handlers[i] = new RetryHandler(new RetryHandlerOption { MaxRetry = options.MaxRetries });
        }
        handlers.Add(new WriteBudgetHandler(tenant.TenantId, limiters));

        var http = GraphClientFactory.Create(handlers, finalHandler: sockets, disposeHandler: false);
        http.Timeout = options.RequestTimeout;
        return new GraphServiceClient(http, auth, V1BaseUrl);
    }

    public void Dispose()
    {
        tokenClient.Dispose();
        sockets.Dispose();
    }
}
