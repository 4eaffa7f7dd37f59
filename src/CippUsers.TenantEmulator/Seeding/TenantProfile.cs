namespace CippUsers.TenantEmulator.Seeding;

/// <summary>What a seeded tenant looks like: size, domains, licences and how much of it is synced from on-premises.</summary>
internal sealed record TenantProfile(
    int Index,
    EmulatedTenantInfo Info,
    string UnverifiedDomain,
    string? FederatedDomain,
    string[] UsageLocations,
    SkuPlan[] Skus,
    double SyncedShare,
    int ExtraGroups);

/// <summary>A subscription: the share of members licensed with it and how many seats stay free (0 = none left).</summary>
internal sealed record SkuPlan(string PartNumber, double Share, int Spare);
