using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CippUsers.TenantEmulator.Auth;
using CippUsers.TenantEmulator.Exchange;
using CippUsers.TenantEmulator.Graph;
using CippUsers.TenantEmulator.Hosting;
using CippUsers.TenantEmulator.Seeding;
using CippUsers.TenantEmulator.Sherweb;
using CippUsers.TenantEmulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CippUsers.TenantEmulator;

/// <summary>
/// A running tenant emulator: an HTTPS server on 127.0.0.1 speaking the Graph subset the product uses, with a
/// client-credentials token endpoint per tenant and an admin API under /_emulator.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private EmulatorHost(WebApplication app, EmulatorContext context, X509Certificate2 certificate, SherwebEmulator sherweb, ExchangeEmulator exchange)
    {
        this.app = app;
        Sherweb = sherweb;
        Exchange = exchange;
        Certificate = certificate;
        CertificateThumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        BaseUri = context.BaseUri;
        ClientId = context.Settings.ClientId;
        ClientSecret = context.Settings.ClientSecret;
        State = context.State;
        Journal = context.Journal;
        Tenants = [.. State.All.Select(t => t.Info)];
    }

    /// <summary>https://127.0.0.1:{port}/. Graph is at BaseUri + "v1.0/" and "beta/"; tokens at BaseUri + "{tenantId}/oauth2/v2.0/token".</summary>
    public Uri BaseUri { get; }

    /// <summary>The self-signed TLS certificate made at start.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 thumbprint of <see cref="Certificate"/> (hex, upper case).</summary>
    public string CertificateThumbprint { get; }

    public string ClientId { get; }

    public string ClientSecret { get; }

    public IReadOnlyList<EmulatedTenantInfo> Tenants { get; }

    public EmulatorState State { get; }

    public RequestJournal Journal { get; }

    /// <summary>The emulated Sherweb partner API: subscriptions, amendments, delays, injected failures.</summary>
    public SherwebEmulator Sherweb { get; }

    /// <summary>The emulated Exchange Online admin API (InvokeCommand): mailboxes, answered calls, injected failures.
    /// It is served at BaseUri + "adminapi/beta/{tenant}/InvokeCommand", so BaseUri stands in for https://outlook.office365.com/.</summary>
    public ExchangeEmulator Exchange { get; }

    /// <summary>Sherweb's OIDC token endpoint (stands in for https://api.sherweb.com/auth/oidc/connect/token).</summary>
    public Uri SherwebTokenUri => new(BaseUri, SherwebEndpoints.TokenPath.TrimStart('/'));

    /// <summary>Sherweb's service-provider API root with a trailing slash (stands in for https://api.sherweb.com/service-provider/v1/).</summary>
    public Uri SherwebApiUri => new(BaseUri, SherwebEndpoints.ApiPath.TrimStart('/') + "/");

    public static async Task<EmulatorHost> StartAsync(EmulatorSettings? settings = null, CancellationToken cancellationToken = default)
    {
        settings ??= new EmulatorSettings();
        settings.Realism.Validate();
        settings.Sherweb.Validate();
        foreach (var realism in settings.TenantRealism.Values)
        {
            realism.Validate();
        }

        var certificate = SelfSignedCertificate.Create(settings.TimeProvider.GetUtcNow());
        var tenants = TenantSeeder.Profiles(settings.IncludeLargeTenant).Select(profile =>
        {
            var realism = (settings.TenantRealism.TryGetValue(profile.Info.TenantId, out var own) ? own : settings.Realism).Copy();
            return new EmulatedTenant(profile.Info, new Lazy<TenantData>(() => TenantSeeder.Create(profile, settings.Seed, realism), LazyThreadSafetyMode.ExecutionAndPublication));
        });
        var context = new EmulatorContext(settings, new EmulatorState(tenants), new RequestJournal(settings.JournalCapacity), new TokenIssuer(settings.TimeProvider, settings.TokenLifetime));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, settings.Port, listen => listen.UseHttps(certificate));
        });
        var app = builder.Build();
        var pipeline = new GraphPipeline(context, GraphRoutes.Build());
        app.MapTokenEndpoints(context);
        app.MapAdminEndpoints(context);
        var sherweb = new SherwebEmulator(context);
        app.MapSherwebEndpoints(context, sherweb);
        var exchange = new ExchangeEmulator(context);
        app.MapExchangeEndpoints(context, exchange);
        app.Map("/v1.0/{**path}", (HttpContext http, string? path) => pipeline.HandleAsync(http, "v1.0", path ?? ""));
        app.Map("/beta/{**path}", (HttpContext http, string? path) => pipeline.HandleAsync(http, "beta", path ?? ""));
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        context.BaseUri = new Uri($"https://127.0.0.1:{new Uri(address).Port}/");
        return new EmulatorHost(app, context, certificate, sherweb, exchange);
    }

    /// <summary>A handler that trusts exactly this emulator's certificate (by SHA-256 thumbprint) and nothing else.</summary>
    public HttpMessageHandler CreateTrustingHandler()
    {
        var thumbprint = CertificateThumbprint;
        return new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), thumbprint, StringComparison.OrdinalIgnoreCase),
            },
        };
    }

    /// <summary>An HttpClient with <see cref="BaseUri"/> as base address that trusts this emulator.</summary>
    public HttpClient CreateHttpClient() => new(CreateTrustingHandler()) { BaseAddress = BaseUri };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Sherweb.Dispose();
        Certificate.Dispose();
    }
}
