using CippUsers.Bot.Access;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Conversations;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// Who may read which tenant's users (the catalog's View User rule), and why an action is greyed out for a caller.
internal sealed class UserDirectoryAccess(AccessPolicy policy, ActionCatalog catalog, CustomerTenants tenants)
{
    public const string ViewActionId = "view-user";

    /// Null when the caller may read this tenant's users, else the reason.
    public string? CheckRead(Caller caller, CustomerTenant tenant)
    {
        var view = catalog.Find(ViewActionId) ?? throw new InvalidOperationException("The catalog has no View User action.");
        var decision = policy.CanRequest(policy.For(caller.AadObjectId), view, Ref(tenant), 1);
        return decision.Allowed ? null : decision.Reason;
    }

    public IReadOnlyList<CustomerTenant> Readable(Caller caller) => [.. tenants.All.Where(t => CheckRead(caller, t) is null)];

    /// Null when the caller may start this action on this many users here; else why the menu greys it out.
    public string? WhyNot(Caller caller, ActionDescriptor action, CustomerTenant tenant, int targetCount)
    {
        if (!catalog.IsAvailable(action.Id))
        {
            return "not available yet";
        }

        var decision = policy.CanRequest(policy.For(caller.AadObjectId), action, Ref(tenant), targetCount);
        return decision.Allowed ? null : decision.Reason;
    }

    private static TenantRef Ref(CustomerTenant tenant) => new(tenant.TenantId, tenant.DefaultDomain, tenant.DisplayName);
}
