using CippUsers.Bot.Approvals;
using CippUsers.Bot.Catalog;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Access;

/// Who may do what (DESIGN decision 8). The rules per policy class are the table below; per-action overrides and the
/// principal mapping come from configuration. Every step of an operation asks this again; nothing trusts card data.
internal sealed class AccessPolicy(IOptions<AccessOptions> access, IOptions<ApprovalOptions> approvals, TechGroups? groups = null)
{
    /// The caller's roles from their own object id and from the groups they belong to in the MSP tenant (read at the
    /// start of each turn by <see cref="TechGroups.RefreshAsync"/>).
    public CallerAccess For(string aadObjectId, IReadOnlyCollection<string>? groupIds = null)
    {
        groupIds ??= groups?.Known(aadObjectId);
        var grants = new List<(Role, IReadOnlyList<string>)>();
        foreach (var principal in access.Value.Principals)
        {
            var matches = string.Equals(principal.Id, aadObjectId, StringComparison.OrdinalIgnoreCase)
                          || (groupIds is not null && groupIds.Contains(principal.Id, StringComparer.OrdinalIgnoreCase));
            if (!matches)
            {
                continue;
            }

            var roles = principal.Roles.Aggregate(Role.None, (all, r) => Enum.TryParse<Role>(r, ignoreCase: true, out var role) ? all | role : all);
            grants.Add((roles, principal.Tenants));
        }

        return new CallerAccess(aadObjectId, grants);
    }

    public ActionRequirement RequirementFor(ActionDescriptor action, int targetCount)
    {
        access.Value.Actions.TryGetValue(action.Id, out var over);
        var policy = over?.Policy ?? action.Policy;
        var minimum = over?.MinimumRole ?? policy switch
        {
            PolicyClass.Read => Role.Reader,
            PolicyClass.Change => Role.Helpdesk,
            PolicyClass.Destructive => Role.Helpdesk,
            PolicyClass.ApprovalGated => Role.Helpdesk,
            _ => throw new InvalidOperationException($"Unknown policy class {policy}."),
        };

        var threshold = approvals.Value.BulkThreshold;
        var (needsApproval, reason) = policy switch
        {
            PolicyClass.ApprovalGated => (true, $"{action.Title} always needs an approver"),
            _ when targetCount > threshold => (true, $"bulk request on {targetCount} users (over {threshold})"),
            _ => (false, (string?)null),
        };

        return new ActionRequirement(policy, minimum, NeedsConfirmation: policy != PolicyClass.Read, needsApproval, reason);
    }

    /// May this caller ask for this action on these many users in this tenant?
    public AccessDecision CanRequest(CallerAccess caller, ActionDescriptor action, TenantRef tenant, int targetCount)
    {
        if (caller.AnyRoles == Role.None)
        {
            return AccessDecision.Refuse("You have no role in this bot. Ask an admin to add you to the Access configuration.");
        }

        var held = caller.RolesIn(tenant);
        if (held == Role.None)
        {
            return AccessDecision.Refuse($"You may not work on {tenant.DisplayName}: it is outside your tenant scope.");
        }

        if (targetCount > 1 && !action.AllowsBulk)
        {
            return AccessDecision.Refuse($"{action.Title} works on one user at a time.");
        }

        var requirement = RequirementFor(action, targetCount);
        return CallerAccess.Satisfies(held, requirement.MinimumRole)
            ? AccessDecision.Allow
            : AccessDecision.Refuse($"{action.Title} needs the {requirement.MinimumRole.ToString().ToLowerInvariant()} role in {tenant.DisplayName}; you are {Describe(held)}.");
    }

    /// May this caller approve or reject someone's request in this tenant?
    public AccessDecision CanDecideApproval(CallerAccess caller, string requesterAadObjectId, TenantRef tenant)
    {
        if (string.Equals(caller.AadObjectId, requesterAadObjectId, StringComparison.OrdinalIgnoreCase))
        {
            return AccessDecision.Refuse("You cannot approve your own request; another approver has to.");
        }

        return caller.Has(Role.Approver, tenant)
            ? AccessDecision.Allow
            : AccessDecision.Refuse($"Only an approver for {tenant.DisplayName} can decide this request.");
    }

    public static string Describe(Role roles)
    {
        var names = Enum.GetValues<Role>().Where(r => r != Role.None && roles.HasFlag(r)).Select(r => r.ToString().ToLowerInvariant()).ToList();
        return names.Count == 0 ? "no role" : string.Join(" + ", names);
    }
}
