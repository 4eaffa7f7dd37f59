namespace CippUsers.Bot.Features.Tenants;

/// <summary>A customer tenant the bot manages, as listed under Graph:Tenants.</summary>
internal sealed record CustomerTenantInfo(string TenantId, string DisplayName, string DefaultDomain);
