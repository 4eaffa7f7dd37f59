using CippUsers.TenantEmulator.Graph.Query;
using CippUsers.TenantEmulator.Graph.Users;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Graph.Groups;

/// <summary>groups, their members, and membership changes with Graph's refusals for groups it cannot change.</summary>
internal static class GroupRoutes
{
    public static void Map(GraphRouter router) => router
        .Map("GET", "groups", List)
        .Map("GET", "groups/$count", Count)
        .Map("GET", "groups/{id}", Get)
        .Map("GET", "groups/{id}/members", Members)
        .Map("POST", "groups/{id}/members/$ref", AddMember)
        .Map("DELETE", "groups/{id}/members/{memberId}/$ref", RemoveMember);

    private static GraphResult List(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            return CollectionQuery.Page(call, call.Tenant.Groups.Select(g => g.Data), Shapes.Group, "groups");
        }
    }

    private static GraphResult Count(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            return CollectionQuery.Count(call, call.Tenant.Groups.Select(g => g.Data), Shapes.Group);
        }
    }

    private static GraphResult Get(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            return call.Tenant.GroupsById.TryGetValue(call.Route("id"), out var group)
                ? CollectionQuery.Single(call, group.Data, Shapes.Group, "groups")
                : GraphResult.NotFound(call.Route("id"));
        }
    }

    private static GraphResult Members(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            if (!call.Tenant.GroupsById.TryGetValue(call.Route("id"), out var group))
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            var members = call.Tenant.Users.Where(u => group.Members.Contains(u.Id)).Select(u => UserRoutes.WithType(u.Data, "#microsoft.graph.user"));
            return CollectionQuery.Page(call, members, Shapes.User, "directoryObjects");
        }
    }

    private static GraphResult? RefuseChange(DirectoryGroup group)
    {
        if (group.IsMailEnabled && !group.IsUnified)
        {
            return GraphResult.BadRequest("Cannot Update a mail-enabled security groups and or distribution list.");
        }

        if (group.IsDynamic)
        {
            return GraphResult.BadRequest("Insufficient privileges to complete the operation: members of a group with dynamic membership come from its membership rule and cannot be added or removed.");
        }

        if (group.IsSynced)
        {
            return GraphResult.BadRequest("Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.");
        }

        return null;
    }

    private static GraphResult AddMember(GraphCall call)
    {
        var memberId = UserRoutes.ReferencedId(call.Body);
        if (memberId is null)
        {
            return GraphResult.Error(400, "BadRequest", "Invalid request body: an @odata.id reference is required.");
        }

        lock (call.Tenant.Gate)
        {
            if (!call.Tenant.GroupsById.TryGetValue(call.Route("id"), out var group))
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            if (RefuseChange(group) is { } refused)
            {
                return refused;
            }

            var member = call.Tenant.FindUser(memberId, call.Now);
            if (member is null && !call.Tenant.GroupsById.ContainsKey(memberId))
            {
                return GraphResult.NotFound(memberId);
            }

            var id = member?.Id ?? memberId;
            return group.Members.Add(id)
                ? GraphResult.NoContent()
                : GraphResult.BadRequest("One or more added object references already exist for the following modified properties: 'members'.");
        }
    }

    private static GraphResult RemoveMember(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            if (!call.Tenant.GroupsById.TryGetValue(call.Route("id"), out var group))
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            if (RefuseChange(group) is { } refused)
            {
                return refused;
            }

            var memberId = call.Tenant.FindUser(call.Route("memberId"))?.Id ?? call.Route("memberId");
            return group.Members.Remove(memberId)
                ? GraphResult.NoContent()
                : GraphResult.BadRequest("One or more removed object references do not exist for the following modified properties: 'members'.");
        }
    }
}
