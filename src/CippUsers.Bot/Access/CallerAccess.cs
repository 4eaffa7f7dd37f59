namespace CippUsers.Bot.Access;

/// The roles one tech holds, each with the tenants it covers.
internal sealed record CallerAccess(string AadObjectId, IReadOnlyList<(Role Roles, IReadOnlyList<string> Tenants)> Grants)
{
    public Role RolesIn(TenantRef tenant)
        => Grants.Where(g => g.Tenants.Any(tenant.Matches)).Aggregate(Role.None, (all, g) => all | g.Roles);

    public Role AnyRoles => Grants.Aggregate(Role.None, (all, g) => all | g.Roles);

    public bool Has(Role role, TenantRef tenant) => Satisfies(RolesIn(tenant), role);

    /// Admin includes Helpdesk includes Reader; Approver is only itself.
    public static bool Satisfies(Role held, Role needed) => needed switch
    {
        Role.None => true,
        Role.Reader => (held & (Role.Reader | Role.Helpdesk | Role.Admin)) != 0,
        Role.Helpdesk => (held & (Role.Helpdesk | Role.Admin)) != 0,
        Role.Admin => (held & Role.Admin) != 0,
        Role.Approver => (held & Role.Approver) != 0,
        _ => false,
    };
}
