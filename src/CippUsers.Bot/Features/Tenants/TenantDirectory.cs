namespace CippUsers.Bot.Features.Tenants;

/// <summary>The customer tenants from configuration (Graph:Tenants); in demo mode the emulator's tenants are
/// written there before the host is built.</summary>
internal sealed class TenantDirectory(IConfiguration configuration)
{
    public IReadOnlyList<CustomerTenantInfo> All()
        => [.. configuration.GetSection("Graph:Tenants").GetChildren()
            .Select(s => new CustomerTenantInfo(s["TenantId"] ?? string.Empty, s["DisplayName"] ?? string.Empty, s["DefaultDomain"] ?? string.Empty))
            .Where(t => t.TenantId.Length > 0)
            .OrderBy(t => t.DisplayName, StringComparer.OrdinalIgnoreCase)];
}
