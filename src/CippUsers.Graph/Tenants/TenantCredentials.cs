using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace CippUsers.Graph;

/// <summary>Turns configuration into an Azure.Identity credential for one customer tenant.</summary>
internal static class TenantCredentials
{
    private const string TokenExchangeScope = "api://AzureADTokenExchange/.default";

    public static TokenCredential Create(GraphOptions options, CustomerTenantOptions tenant, HttpClient transportClient)
    {
        var authority = new Uri(options.AuthorityHost);
        var transport = new HttpClientTransport(transportClient);

        // A tenant with its own app registration (direct, non-GDAP) wins over the partner app.
        if (!string.IsNullOrWhiteSpace(tenant.ClientId) && !string.IsNullOrWhiteSpace(tenant.ClientSecret))
            return new ClientSecretCredential(tenant.TenantId, tenant.ClientId, tenant.ClientSecret, Configure(new ClientSecretCredentialOptions()));

        var partner = options.Partner;
        if (string.IsNullOrWhiteSpace(partner.ClientId))
            throw new InvalidOperationException("Graph:Partner:ClientId is not configured.");

        if (partner.UseManagedIdentity)
        {
            // Workload identity federation: the host's managed identity signs in as the multi-tenant partner app.
            var identity = string.IsNullOrWhiteSpace(partner.ManagedIdentityClientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(partner.ManagedIdentityClientId);
            var managed = new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(identity) { Transport = transport });
            return new ClientAssertionCredential(
                tenant.TenantId,
                partner.ClientId,
                async ct => (await managed.GetTokenAsync(new TokenRequestContext([TokenExchangeScope]), ct)).Token,
                Configure(new ClientAssertionCredentialOptions()));
        }

        if (!string.IsNullOrWhiteSpace(partner.CertificatePath) || !string.IsNullOrWhiteSpace(partner.CertificateThumbprint))
            return new ClientCertificateCredential(tenant.TenantId, partner.ClientId, LoadCertificate(partner),
                Configure(new ClientCertificateCredentialOptions { SendCertificateChain = true }));

        if (!string.IsNullOrWhiteSpace(partner.ClientSecret))
            return new ClientSecretCredential(tenant.TenantId, partner.ClientId, partner.ClientSecret, Configure(new ClientSecretCredentialOptions()));

        throw new InvalidOperationException("Graph:Partner has no client secret, certificate or managed identity configured.");

        T Configure<T>(T o) where T : TokenCredentialOptions
        {
            o.AuthorityHost = authority;
            o.Transport = transport;
            if (o is ClientSecretCredentialOptions s) s.DisableInstanceDiscovery = !IsPublicCloud(authority);
            if (o is ClientCertificateCredentialOptions c) c.DisableInstanceDiscovery = !IsPublicCloud(authority);
            if (o is ClientAssertionCredentialOptions a) a.DisableInstanceDiscovery = !IsPublicCloud(authority);
            return o;
        }
    }

    // Instance discovery asks login.microsoftonline.com about the authority; a private authority (the emulator) must skip it.
    private static bool IsPublicCloud(Uri authority) =>
        authority.Host.EndsWith("login.microsoftonline.com", StringComparison.OrdinalIgnoreCase)
        || authority.Host.EndsWith("login.microsoftonline.us", StringComparison.OrdinalIgnoreCase)
        || authority.Host.EndsWith("login.chinacloudapi.cn", StringComparison.OrdinalIgnoreCase);

    private static X509Certificate2 LoadCertificate(PartnerAppOptions partner)
    {
        if (!string.IsNullOrWhiteSpace(partner.CertificatePath))
        {
            return Path.GetExtension(partner.CertificatePath).Equals(".pem", StringComparison.OrdinalIgnoreCase)
                ? X509Certificate2.CreateFromPemFile(partner.CertificatePath)
                : X509CertificateLoader.LoadPkcs12FromFile(partner.CertificatePath, partner.CertificatePassword);
        }

        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            store.Open(OpenFlags.ReadOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, partner.CertificateThumbprint!, validOnly: false);
            if (found.Count > 0)
                return found[0];
        }
        throw new InvalidOperationException("The partner app certificate was not found in the certificate stores.");
    }
}
