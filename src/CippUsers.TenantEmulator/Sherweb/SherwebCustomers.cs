namespace CippUsers.TenantEmulator.Sherweb;

/// <summary>
/// The Sherweb customers the emulator serves, one per seeded tenant, with fixed ids. Each holds a subscription for every
/// paid SKU of its tenant (quantity = the tenant's prepaid units) and one subscription that is not a Microsoft 365 licence.
/// </summary>
public static class SherwebCustomers
{
    public const string ContosoDentalCustomerId = "5d0c4a1e-7b3f-4c29-9e8d-2f6a1b0c5d11";
    public const string FabrikamLogisticsCustomerId = "8e2f6b3a-1c4d-4a7e-b5f9-3d7c2e1a8f22";
    public const string NorthwindHealthCustomerId = "a4b3c2d1-9e8f-4a7b-8c6d-5e4f3a2b1c33";

    /// <summary>Test values, not real credentials.</summary>
    public const string DefaultClientId = "sherweb-emulator-client";

    public const string DefaultClientSecret = "sherweb-emulator-secret";

    public const string DefaultSubscriptionKey = "sherweb-emulator-subscription-key";

    /// <summary>The Sherweb customer id of a seeded tenant, or null.</summary>
    public static string? ForTenant(string tenantId) => tenantId switch
    {
        SeededTenants.ContosoDentalId => ContosoDentalCustomerId,
        SeededTenants.FabrikamLogisticsId => FabrikamLogisticsCustomerId,
        SeededTenants.NorthwindHealthId => NorthwindHealthCustomerId,
        _ => null,
    };
}
