namespace CippUsers.Graph;

/// <summary>A verified domain of a tenant; only these can carry user principal names.</summary>
public sealed record TenantDomain(string Name, bool IsDefault, bool IsInitial, string? AuthenticationType)
{
    /// <summary>Federated domains need an onPremisesImmutableId at create.</summary>
    public bool IsFederated => string.Equals(AuthenticationType, "Federated", StringComparison.OrdinalIgnoreCase);
}
