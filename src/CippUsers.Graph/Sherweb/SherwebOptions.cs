using System.ComponentModel.DataAnnotations;

namespace CippUsers.Graph.Sherweb;

/// <summary>
/// How the bot reaches Sherweb's partner API (configuration section "Sherweb"), used to buy a licence seat when a
/// tenant has none left. Off unless <see cref="Enabled"/>; a tenant takes part only when it has a customer mapping.
/// </summary>
public sealed class SherwebOptions
{
    public const string Section = "Sherweb";

    public bool Enabled { get; set; }

    /// <summary>API client id (Cumulus portal → Security → APIs).</summary>
    public string? ClientId { get; set; }

    /// <summary>API client secret. From user secrets, environment variables or a key vault; never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The API Management subscription key sent as <c>Ocp-Apim-Subscription-Key</c> on every API call; a secret too.</summary>
    public string? SubscriptionKey { get; set; }

    [Required, Url]
    public string TokenUrl { get; set; } = "https://api.sherweb.com/auth/oidc/connect/token";

    /// <summary>Root of the service-provider API (paths such as billing/subscriptions/details are relative to it).</summary>
    [Required, Url]
    public string ApiBaseUrl { get; set; } = "https://api.sherweb.com/service-provider/v1/";

    [Required]
    public string Scope { get; set; } = "service-provider";

    /// <summary>SHA-256 thumbprint of one extra server certificate to trust (the emulator's); nothing else is relaxed.</summary>
    public string? TrustedCertificateThumbprint { get; set; }

    /// <summary>Customer tenant → Sherweb customer id. Only mapped tenants are offered a purchase.</summary>
    public List<SherwebCustomerMapping> Customers { get; set; } = [];

    /// <summary>Retries of one request answered 408/429/5xx or not answered (honouring Retry-After). 0–10.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; it doubles with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound for one request including its retries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>One customer tenant and its Sherweb customer id.</summary>
public sealed class SherwebCustomerMapping
{
    /// <summary>The tenant id as configured under Graph:Tenants.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>The customer's id in Sherweb (a uuid, from GET /customers).</summary>
    public string CustomerId { get; set; } = "";
}
