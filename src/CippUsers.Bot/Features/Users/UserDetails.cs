using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// Everything the user card shows, read in parallel; a part that could not be read carries the reason instead.
internal sealed record UserDetails(
    TenantUser User,
    IReadOnlyList<string>? Licenses,
    IReadOnlyList<TenantGroup>? Groups,
    TenantUser? Manager,
    IReadOnlyList<string> Unavailable)
{
    public static async Task<GraphResult<UserDetails>> ReadAsync(
        UserOperations users, LicenseOperations licenses, GroupOperations groups, ManagerOperations managers,
        string tenantId, string userId, CancellationToken ct)
    {
        var found = await users.GetAsync(tenantId, userId, ct);
        if (!found.Succeeded)
        {
            return found.Failure!;
        }

        var user = found.Value!;
        var skusTask = licenses.ListSkusAsync(tenantId, ct);
        var groupsTask = groups.ListUserGroupsAsync(tenantId, user.Id, ct);
        var managerTask = managers.GetAsync(tenantId, user.Id, ct);
        await Task.WhenAll(skusTask, groupsTask, managerTask);

        var unavailable = new List<string>();
        IReadOnlyList<string>? licenseNames = null;
        var skus = await skusTask;
        if (skus.Succeeded)
        {
            var names = skus.Value!.ToDictionary(s => s.SkuId, s => s.FriendlyName);
            licenseNames = [.. user.AssignedSkuIds.Select(id => names.TryGetValue(id, out var n) ? n : id.ToString())];
        }
        else
        {
            unavailable.Add($"Licenses: {skus.Failure!.Message}");
        }

        var memberOf = await groupsTask;
        if (!memberOf.Succeeded)
        {
            unavailable.Add($"Groups: {memberOf.Failure!.Message}");
        }

        var manager = await managerTask;
        if (!manager.Succeeded)
        {
            unavailable.Add($"Manager: {manager.Failure!.Message}");
        }

        return GraphResult<UserDetails>.Ok(new UserDetails(user, licenseNames, memberOf.Succeeded ? memberOf.Value : null,
            manager.Succeeded ? manager.Value : null, unavailable));
    }

    /// Sku id → friendly name for a tenant (for the list's Licenses column); empty when it cannot be read.
    public static async Task<IReadOnlyDictionary<Guid, string>> SkuNamesAsync(LicenseOperations licenses, string tenantId, CancellationToken ct)
    {
        var skus = await licenses.ListSkusAsync(tenantId, ct);
        return skus.Succeeded ? skus.Value!.ToDictionary(s => s.SkuId, s => s.FriendlyName) : new Dictionary<Guid, string>();
    }
}
