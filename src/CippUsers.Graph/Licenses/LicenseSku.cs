namespace CippUsers.Graph;

/// <summary>A licence the tenant has bought, with its free seats.</summary>
public sealed record LicenseSku(Guid SkuId, string SkuPartNumber, string FriendlyName, int Purchased, int Consumed, string? AppliesTo, string? CapabilityStatus)
{
    /// <summary>Free seats: enabled prepaid units minus consumed units, never below 0.</summary>
    public int Available => Math.Max(0, Purchased - Consumed);

    /// <summary>Only "User" SKUs can be assigned to users.</summary>
    public bool AssignableToUsers => AppliesTo is null || string.Equals(AppliesTo, "User", StringComparison.OrdinalIgnoreCase);
}
