namespace CippUsers.Graph;

/// <summary>A tenant's domains.</summary>
public sealed class DomainOperations
{
    private readonly GraphCalls calls;

    internal DomainOperations(GraphCalls calls) => this.calls = calls;

    /// <summary>The verified domains, default first, then by name.</summary>
    public Task<GraphResult<IReadOnlyList<TenantDomain>>> ListVerifiedAsync(string tenantId, CancellationToken ct) =>
        calls.RunAsync<IReadOnlyList<TenantDomain>>(tenantId, async (client, t) =>
        {
            var page = await client.Domains.GetAsync(r =>
                r.QueryParameters.Select = ["id", "isDefault", "isInitial", "isVerified", "authenticationType"], t);
            return [.. (page?.Value ?? [])
                .Where(d => d.IsVerified == true && d.Id is not null)
                .Select(d => new TenantDomain(d.Id!, d.IsDefault == true, d.IsInitial == true, d.AuthenticationType))
                .OrderByDescending(d => d.IsDefault)
                .ThenBy(d => d.Name, StringComparer.OrdinalIgnoreCase)];
        }, ct);
}
