using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CippUsers.Bot.Tests.Infrastructure;

/// <summary>
/// Plays Bot Framework's token service on https://127.0.0.1 (the SDK insists on HTTPS metadata): OpenID metadata and a
/// JWKS whose key is endorsed for "msteams", plus tokens signed with that key (or forged ones).
/// </summary>
public sealed class TestTokenIssuer : IAsyncDisposable
{
    public const string ChannelIssuer = "https://api.botframework.com";

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _signingKey;

    private TestTokenIssuer(WebApplication app, RsaSecurityKey signingKey, X509Certificate2 tlsCertificate)
    {
        _app = app;
        _signingKey = signingKey;
        TlsCertificate = tlsCertificate;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public string MetadataUrl => new Uri(BaseUrl, "v1/.well-known/openidconfiguration").ToString();

    /// <summary>The self-signed TLS certificate the bot's HttpClient must trust in tests.</summary>
    public X509Certificate2 TlsCertificate { get; }

    public static async Task<TestTokenIssuer> StartAsync()
    {
        var signingKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" };
        var tls = CreateTlsCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(tls)));
        var app = builder.Build();
        var issuer = new TestTokenIssuer(app, signingKey, tls);
        app.MapGet("/v1/.well-known/openidconfiguration", (HttpContext http) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = ChannelIssuer,
            ["authorization_endpoint"] = new Uri(issuer.BaseUrl, "authorize").ToString(),
            ["jwks_uri"] = new Uri(issuer.BaseUrl, "v1/.well-known/keys").ToString(),
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
        }));
        app.MapGet("/v1/.well-known/keys", () =>
        {
            var parameters = signingKey.Rsa.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new
                    {
                        kty = "RSA",
                        use = "sig",
                        kid = signingKey.KeyId,
                        n = Base64UrlEncoder.Encode(parameters.Modulus),
                        e = Base64UrlEncoder.Encode(parameters.Exponent),
                        endorsements = new[] { "msteams" },
                    },
                },
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        issuer.SeedSdkMetadataCaches();
        return issuer;
    }

    /// <summary>Settings that point the bot's ConfigurationBotFrameworkAuthentication at this issuer (external-apis.md §5.4).</summary>
    public Dictionary<string, string?> BotSettings(string appId, string tenantId) => new()
    {
        ["MicrosoftAppType"] = "SingleTenant",
        ["MicrosoftAppId"] = appId,
        ["MicrosoftAppPassword"] = "test-secret-never-used",
        ["MicrosoftAppTenantId"] = tenantId,
        ["ToBotFromChannelOpenIdMetadataUrl"] = MetadataUrl,
        ["ToBotFromChannelTokenIssuer"] = ChannelIssuer,
        ["ToBotFromEmulatorOpenIdMetadataUrl"] = MetadataUrl,
        ["ToChannelFromBotLoginUrl"] = new Uri(BaseUrl, tenantId).ToString(),
        ["ToChannelFromBotOAuthScope"] = ChannelIssuer,
        ["OAuthUrl"] = new Uri(BaseUrl, "oauth").ToString(),
        ["CallerId"] = "urn:botframework:azure",
        ["ValidateAuthority"] = "false",
    };

    /// <summary>A channel token like Teams sends: iss api.botframework.com, aud = bot app id, serviceurl claim.</summary>
    public string CreateToken(string audience, string serviceUrl, TimeSpan? lifetime = null, DateTimeOffset? now = null, SecurityKey? signWith = null, string? issuer = null)
    {
        var issuedAt = (now ?? TimeProvider.System.GetUtcNow()).UtcDateTime;
        var expires = issuedAt + (lifetime ?? TimeSpan.FromHours(1));
        var key = signWith ?? _signingKey;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? ChannelIssuer,
            Audience = audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            Subject = new ClaimsIdentity([new Claim("serviceurl", serviceUrl)]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>A token signed by an attacker's key that claims the issuer's key id.</summary>
    public string CreateForgedToken(string audience, string serviceUrl)
        => CreateToken(audience, serviceUrl, signWith: new RsaSecurityKey(RSA.Create(2048)) { KeyId = _signingKey.KeyId });

    /// <summary>An unsigned token (alg "none") with otherwise valid claims.</summary>
    public static string CreateUnsignedToken(string audience, string serviceUrl)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = ChannelIssuer,
            Audience = audience,
            Expires = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(1),
            Subject = new ClaimsIdentity([new Claim("serviceurl", serviceUrl)]),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    // Bot Framework fetches OpenID metadata and keys through a private static HttpClient that only trusts public CAs,
    // and caches one ConfigurationManager per metadata URL in JwtTokenExtractor's static caches. Seeding those caches
    // for this issuer's (unique) URL with a client that trusts its self-signed certificate lets the SDK's own
    // validation run unchanged: issuer, signature, lifetime, audience, endorsements and the serviceurl claim.
    private void SeedSdkMetadataCaches()
    {
        var thumbprint = TlsCertificate.GetCertHashString();
        var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == thumbprint },
        });
        var openIdCache = (ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>>)StaticField("_openIdMetadataCache");
        openIdCache[MetadataUrl] = new ConfigurationManager<OpenIdConnectConfiguration>(MetadataUrl, new OpenIdConnectConfigurationRetriever(), client);
        var endorsementsCache = (ConcurrentDictionary<string, ConfigurationManager<IDictionary<string, HashSet<string>>>>)StaticField("_endorsementsCache");
        var retriever = new EndorsementsRetriever(client);
        endorsementsCache[MetadataUrl] = new ConfigurationManager<IDictionary<string, HashSet<string>>>(MetadataUrl, retriever, retriever);

        static object StaticField(string name)
            => typeof(JwtTokenExtractor).GetField(name, BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null)
               ?? throw new InvalidOperationException($"Bot Framework no longer has JwtTokenExtractor.{name}; update the test issuer.");
    }

    private static X509Certificate2 CreateTlsCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
