namespace CippUsers.TenantEmulator;

/// <summary>In-process access to every tenant the emulator serves.</summary>
public sealed class EmulatorState
{
    private readonly Dictionary<string, EmulatedTenant> tenants;

    internal EmulatorState(IEnumerable<EmulatedTenant> tenants)
    {
        this.tenants = tenants.ToDictionary(t => t.TenantId, StringComparer.OrdinalIgnoreCase);
        All = [.. this.tenants.Values];
    }

    public IReadOnlyList<EmulatedTenant> All { get; }

    /// <summary>The tenant with this id; throws <see cref="KeyNotFoundException"/> for an unknown id.</summary>
    public EmulatedTenant Tenant(string tenantId) =>
        tenants.TryGetValue(tenantId, out var tenant) ? tenant : throw new KeyNotFoundException($"No emulated tenant '{tenantId}'.");

    public bool TryGetTenant(string tenantId, out EmulatedTenant tenant) => tenants.TryGetValue(tenantId, out tenant!);

    /// <summary>Switches realism for every tenant.</summary>
    public void SetRealismForAll(RealismSettings settings)
    {
        foreach (var tenant in All)
        {
            tenant.SetRealism(settings);
        }
    }
}
