using System.Security.Cryptography.X509Certificates;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Hosting;

/// <summary>Builds Bot Framework authentication for the mode: anonymous (demo) or single-tenant JWT validation.</summary>
internal static class BotAuthentication
{
    public static BotFrameworkAuthentication Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value;
        var httpClients = services.GetRequiredService<IHttpClientFactory>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("CippUsers.Bot.Authentication");
        if (options.IsDemo)
        {
            // No app id: the SDK accepts anonymous calls. Only the settings below are read, so nothing else leaks in.
            return new ConfigurationBotFrameworkAuthentication(new ConfigurationBuilder().Build(), httpClientFactory: httpClients, logger: logger);
        }

        // ConfigurationBotFrameworkAuthentication reads the flat keys (plus the ToBotFrom*/ToChannelFrom* overrides);
        // default the app type to SingleTenant so the MSP tenant is the token authority.
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(services.GetRequiredService<IConfiguration>())
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MicrosoftAppType"] = options.EffectiveAppType })
            .Build();
        ServiceClientCredentialsFactory? credentials = options.UsesCertificate && !options.UsesManagedIdentity
            ? new CertificateServiceClientCredentialsFactory(LoadCertificate(options.MicrosoftAppCertificateThumbprint!), options.MicrosoftAppId, options.MicrosoftAppTenantId, logger: logger)
            : null;
        return new ConfigurationBotFrameworkAuthentication(configuration, credentials, httpClientFactory: httpClients, logger: logger);
    }

    private static X509Certificate2 LoadCertificate(string thumbprint)
    {
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            store.Open(OpenFlags.ReadOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
            if (found.Count > 0)
            {
                return found[0];
            }
        }

        throw new InvalidOperationException($"MicrosoftAppCertificateThumbprint: no certificate with thumbprint {thumbprint} in CurrentUser\\My or LocalMachine\\My.");
    }
}
