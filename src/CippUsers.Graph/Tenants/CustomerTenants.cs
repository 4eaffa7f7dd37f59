using Microsoft.Extensions.Options;

namespace CippUsers.Graph;

/// <summary>The configured customer tenants, found by id, default domain or display name.</summary>
public sealed class CustomerTenants(IOptions<GraphOptions> options)
{
    /// <summary>Every configured tenant, in configuration order.</summary>
    public IReadOnlyList<CustomerTenant> All { get; } =
        [.. options.Value.Tenants.Select(t => new CustomerTenant(t.TenantId, t.DisplayName, t.DefaultDomain))];

    /// <summary>The tenant whose id, default domain or display name equals <paramref name="idDomainOrName"/> (case-insensitive).</summary>
    public CustomerTenant? Find(string idDomainOrName)
    {
        var text = idDomainOrName?.Trim();
        if (string.IsNullOrEmpty(text))
            return null;
        return All.FirstOrDefault(t => Same(t.TenantId, text))
            ?? All.FirstOrDefault(t => Same(t.DefaultDomain, text))
            ?? All.FirstOrDefault(t => Same(t.DisplayName, text));
    }

    /// <summary>Tenants whose display name or default domain starts with <paramref name="text"/>, for a picker.</summary>
    public IReadOnlyList<CustomerTenant> Search(string text) =>
        Find(text) is { } exact
            ? [exact]
            : [.. All.Where(t => t.DisplayName.StartsWith(text.Trim(), StringComparison.OrdinalIgnoreCase)
                              || t.DefaultDomain.StartsWith(text.Trim(), StringComparison.OrdinalIgnoreCase))];

    internal bool IsKnown(string tenantId) => All.Any(t => Same(t.TenantId, tenantId));

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
