using Microsoft.Extensions.Logging;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.AssignLicense;

namespace CippUsers.Graph;

/// <summary>The tenant's licences and who holds them.</summary>
public sealed class LicenseOperations
{
    private readonly GraphCalls calls;
    private readonly ILogger<LicenseOperations> log;

    internal LicenseOperations(GraphCalls calls, ILogger<LicenseOperations> log)
    {
        this.calls = calls;
        this.log = log;
    }

    /// <summary>The subscribed SKUs with free seats and friendly names, sorted by name.</summary>
    public Task<GraphResult<IReadOnlyList<LicenseSku>>> ListSkusAsync(string tenantId, CancellationToken ct) =>
        calls.RunAsync<IReadOnlyList<LicenseSku>>(tenantId, async (client, t) =>
        {
            var page = await client.SubscribedSkus.GetAsync(r =>
                r.QueryParameters.Select = ["skuId", "skuPartNumber", "prepaidUnits", "consumedUnits", "appliesTo", "capabilityStatus"], t);
            return [.. (page?.Value ?? [])
                .Where(s => s.SkuId is not null)
                .Select(s => new LicenseSku(s.SkuId!.Value, s.SkuPartNumber ?? "", SkuNames.Friendly(s.SkuPartNumber),
                    s.PrepaidUnits?.Enabled ?? 0, s.ConsumedUnits ?? 0, s.AppliesTo, s.CapabilityStatus))
                .OrderBy(s => s.FriendlyName, StringComparer.OrdinalIgnoreCase)];
        }, ct);

    /// <summary>The SKU ids a user holds (app-only callers can't read licenseDetails, so assignedLicenses it is).</summary>
    public Task<GraphResult<IReadOnlyList<Guid>>> ListUserSkuIdsAsync(string tenantId, string userId, CancellationToken ct) =>
        calls.RunAsync<IReadOnlyList<Guid>>(tenantId, async (client, t) =>
        {
            var user = await UserOperations.ByIdOrUpn(client, userId, ["id", "assignedLicenses"]).GetAsync(r => r.QueryParameters.Select = ["id", "assignedLicenses"], t);
            return [.. (user?.AssignedLicenses ?? []).Where(l => l.SkuId is not null).Select(l => l.SkuId!.Value)];
        }, ct, userId);

    /// <summary>
    /// Adds and removes licences in one call. Fails with a clear message when the user has no usage location or a SKU
    /// has no free seats.
    /// </summary>
    public async Task<GraphResult> AssignAsync(string tenantId, string userId, IReadOnlyCollection<Guid> add, IReadOnlyCollection<Guid> remove, CancellationToken ct)
    {
        if (add.Count == 0 && remove.Count == 0)
            return GraphResult.Ok();
        var body = new AssignLicensePostRequestBody
        {
            AddLicenses = [.. add.Distinct().Select(id => new AssignedLicense { SkuId = id, DisabledPlans = [] })],
            RemoveLicenses = [.. remove.Distinct().Select(id => (Guid?)id)],
        };
        var result = await calls.RunAsync(tenantId, (client, t) => UserOperations.ByIdOrUpn(client, userId).AssignLicense.PostAsync(body, cancellationToken: t), ct, userId);
        if (result.Succeeded)
            log.LogInformation("Licences changed for {UserId} in {TenantId}: +{Added} -{Removed}", userId, tenantId, add.Count, remove.Count);
        return result.WithoutValue();
    }
}
