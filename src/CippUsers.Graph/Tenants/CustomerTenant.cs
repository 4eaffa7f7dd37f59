namespace CippUsers.Graph;

/// <summary>A customer tenant the bot may manage.</summary>
public sealed record CustomerTenant(string TenantId, string DisplayName, string DefaultDomain);
