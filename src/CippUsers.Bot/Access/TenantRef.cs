namespace CippUsers.Bot.Access;

/// A customer tenant as the access rules see it: scopes may name it by id or by any of its domains.
internal sealed record TenantRef(string TenantId, string DefaultDomain, string DisplayName)
{
    public bool Matches(string scope)
        => scope == "*"
           || string.Equals(scope, TenantId, StringComparison.OrdinalIgnoreCase)
           || string.Equals(scope, DefaultDomain, StringComparison.OrdinalIgnoreCase);
}
