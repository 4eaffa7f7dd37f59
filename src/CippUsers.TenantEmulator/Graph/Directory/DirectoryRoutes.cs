using CippUsers.TenantEmulator.Graph.Query;

namespace CippUsers.TenantEmulator.Graph.Directory;

/// <summary>domains and organization.</summary>
internal static class DirectoryRoutes
{
    public static void Map(GraphRouter router) => router
        .Map("GET", "domains", ListDomains)
        .Map("GET", "domains/{id}", GetDomain)
        .Map("GET", "organization", Organization);

    private static GraphResult ListDomains(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            return CollectionQuery.Page(call, call.Tenant.Domains.Select(GraphShapes.Domain), Shapes.Domain, "domains");
        }
    }

    private static GraphResult GetDomain(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            var domain = call.Tenant.Domains.FirstOrDefault(d => string.Equals(d.Id, call.Route("id"), StringComparison.OrdinalIgnoreCase));
            return domain is null ? GraphResult.NotFound(call.Route("id")) : CollectionQuery.Single(call, GraphShapes.Domain(domain), Shapes.Domain, "domains");
        }
    }

    private static GraphResult Organization(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            return CollectionQuery.Page(call, [call.Tenant.Organization], Shapes.Organization, "organization");
        }
    }
}
