using CippUsers.Graph;
using CippUsers.Graph.Exchange;

namespace CippUsers.Bot.Features.Users;

/// Everything the user card shows, read concurrently; a part that could not be read carries the reason instead, so one
/// failing read (a missing permission, a tenant without Entra ID P1) costs only its own line.
internal sealed record UserDetails(
    TenantUser User,
    IReadOnlyList<string>? Licenses,
    IReadOnlyList<TenantGroup>? Groups,
    TenantUser? Manager,
    IReadOnlyList<string> Unavailable)
{
    /// Last sign-ins, or why they are not shown (a tenant without P1/P2 fails with UserActivityOperations.NeedsPremiumCode).
    public GraphResult<UserSignIns>? SignIns { get; init; }

    /// Registered authentication methods, or why they are not shown.
    public GraphResult<MfaRegistration>? Mfa { get; init; }

    /// The user's mailbox from Exchange Online (null value: the user has none), or why it is not shown.
    public GraphResult<Mailbox?>? Mailbox { get; init; }

    public static async Task<GraphResult<UserDetails>> ReadAsync(
        UserOperations users, LicenseOperations licenses, GroupOperations groups, ManagerOperations managers, UserActivityOperations activity,
        ExchangeCommands exchange, string tenantId, string userId, CancellationToken ct)
    {
        // Everything at once: each read addresses the user by the same id or UPN, so none waits for the profile.
        var userTask = users.GetAsync(tenantId, userId, ct);
        var skusTask = licenses.ListSkusAsync(tenantId, ct);
        var groupsTask = groups.ListUserGroupsAsync(tenantId, userId, ct);
        var managerTask = managers.GetAsync(tenantId, userId, ct);
        var signInsTask = activity.GetSignInsAsync(tenantId, userId, ct);
        var mfaTask = activity.GetMfaRegistrationAsync(tenantId, userId, ct);
        var mailboxTask = exchange.GetMailboxAsync(tenantId, userId, ct);
        await Task.WhenAll(userTask, skusTask, groupsTask, managerTask, signInsTask, mfaTask, mailboxTask);

        var found = await userTask;
        if (!found.Succeeded)
        {
            return found.Failure!;
        }

        var user = found.Value!;
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
            manager.Succeeded ? manager.Value : null, unavailable)
        {
            SignIns = await signInsTask,
            Mfa = await mfaTask,
            Mailbox = await mailboxTask,
        });
    }

    /// Sku id → friendly name for a tenant (for the list's Licenses column); empty when it cannot be read.
    public static async Task<IReadOnlyDictionary<Guid, string>> SkuNamesAsync(LicenseOperations licenses, string tenantId, CancellationToken ct)
    {
        var skus = await licenses.ListSkusAsync(tenantId, ct);
        return skus.Succeeded ? skus.Value!.ToDictionary(s => s.SkuId, s => s.FriendlyName) : new Dictionary<Guid, string>();
    }
}
