namespace CippUsers.TenantEmulator.Sherweb;

/// <summary>The emulated Sherweb partner API: its credentials and how long a quantity change takes.</summary>
public sealed class SherwebSettings
{
    public string ClientId { get; set; } = SherwebCustomers.DefaultClientId;

    public string ClientSecret { get; set; } = SherwebCustomers.DefaultClientSecret;

    /// <summary>The API Management key every API call must carry in <c>Ocp-Apim-Subscription-Key</c>.</summary>
    public string SubscriptionKey { get; set; } = SherwebCustomers.DefaultSubscriptionKey;

    /// <summary>How long an accepted amendment stays Pending/Processing before the new quantity shows in the details.</summary>
    public TimeSpan AmendmentProcessingDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long after an accepted amendment the changed seats show in the tenant's Graph subscribedSkus.</summary>
    public TimeSpan SeatProvisioningDelay { get; set; } = TimeSpan.FromSeconds(20);

    internal void Validate()
    {
        if (AmendmentProcessingDelay < TimeSpan.Zero || SeatProvisioningDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("Sherweb delays cannot be negative.");
        }
    }
}
