using System.ComponentModel.DataAnnotations;

namespace CippUsers.Graph;

/// <summary>How the bot reaches Microsoft Graph for its customer tenants (configuration section "Graph").</summary>
public sealed class GraphOptions
{
    public const string Section = "Graph";

    /// <summary>Graph root; "v1.0" is appended. Point it at the tenant emulator for demo mode and tests.</summary>
    [Required, Url]
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/";

    /// <summary>Entra ID authority host that issues tokens for every customer tenant.</summary>
    [Required, Url]
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>
    /// SHA-256 thumbprint (hex) of one extra server certificate to trust, for the emulator's self-signed
    /// certificate. Exactly that certificate is accepted; nothing else is relaxed.
    /// </summary>
    public string? TrustedCertificateThumbprint { get; set; }

    /// <summary>The multi-tenant partner app (GDAP model) used for every tenant unless a tenant names its own app.</summary>
    [Required]
    public PartnerAppOptions Partner { get; set; } = new();

    /// <summary>The customer tenants techs may manage.</summary>
    public List<CustomerTenantOptions> Tenants { get; set; } = [];

    /// <summary>The MSP's own tenant, read with the partner app only to learn which groups a tech belongs to
    /// (Access roles granted to groups). Optional; never listed as a customer.</summary>
    public string? HomeTenantId { get; set; }

    /// <summary>Per-tenant write budget the library stays under (Graph: 3,000 writes per 150 s per app and tenant).</summary>
    [Required]
    public WriteBudgetOptions WriteBudget { get; set; } = new();

    /// <summary>
    /// Per-tenant budget for guest invitations the library stays under. Graph allows 150 invitations per 5 s per tenant;
    /// the default (a burst of 140, refilled over 6 s) stays a little under it, so requests in flight, invitations sent
    /// by other tools and clock differences do not tip a burst over Graph's limit.
    /// </summary>
    [Required]
    public WriteBudgetOptions InvitationBudget { get; set; } = new() { Writes = 140, PerSeconds = 6 };

    /// <summary>How long follow-up calls after a create keep retrying "not found yet" answers.</summary>
    [Required]
    public ConsistencyOptions Consistency { get; set; } = new();

    /// <summary>How often the SDK retries one request answered 429/503/504 (honouring Retry-After). 0–10.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>Upper bound for one request, including the SDK's retries.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
}

/// <summary>The app registration that holds the delegated admin (GDAP) access to customer tenants.</summary>
public sealed class PartnerAppOptions
{
    /// <summary>Application (client) id of the partner app.</summary>
    public string? ClientId { get; set; }

    /// <summary>Client secret. Prefer a certificate or managed identity in production.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Path of a PFX/PEM file holding the certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the PFX at <see cref="CertificatePath"/>, if any.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>SHA-1 thumbprint of a certificate in the CurrentUser/My or LocalMachine/My store.</summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>
    /// Use the host's managed identity (or workload identity) as a federated credential of the partner app,
    /// so no secret is stored anywhere.
    /// </summary>
    public bool UseManagedIdentity { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty for the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Whether any way to authenticate is configured.</summary>
    public bool HasCredential =>
        !string.IsNullOrWhiteSpace(ClientId) &&
        (!string.IsNullOrWhiteSpace(ClientSecret) || !string.IsNullOrWhiteSpace(CertificatePath) ||
         !string.IsNullOrWhiteSpace(CertificateThumbprint) || UseManagedIdentity);
}

/// <summary>One customer tenant.</summary>
public sealed class CustomerTenantOptions
{
    [Required]
    public string TenantId { get; set; } = "";

    [Required]
    public string DisplayName { get; set; } = "";

    [Required]
    public string DefaultDomain { get; set; } = "";

    /// <summary>Optional app registered in the customer tenant itself (direct, non-GDAP tenants).</summary>
    public string? ClientId { get; set; }

    /// <summary>Secret of <see cref="ClientId"/>.</summary>
    public string? ClientSecret { get; set; }
}

/// <summary>Token bucket per tenant: at most <see cref="Writes"/> writes per <see cref="PerSeconds"/> seconds.</summary>
public sealed class WriteBudgetOptions
{
    [Range(1, 1_000_000)]
    public int Writes { get; set; } = 3000;

    [Range(1, 86_400)]
    public int PerSeconds { get; set; } = 150;

    /// <summary>How many writes may wait for budget before further writes fail as throttled.</summary>
    [Range(0, 1_000_000)]
    public int QueueLimit { get; set; } = 10_000;
}

/// <summary>Eventual consistency after a create.</summary>
public sealed class ConsistencyOptions
{
    /// <summary>How long an object counts as "just created" and follow-up calls retry not-found answers.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest total wait of one follow-up call for a just-created object to appear.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>First backoff delay; it doubles up to 8 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}
