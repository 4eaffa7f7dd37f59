using CippUsers.TenantEmulator.Graph.Authentication;
using CippUsers.TenantEmulator.Graph.Batch;
using CippUsers.TenantEmulator.Graph.Directory;
using CippUsers.TenantEmulator.Graph.Groups;
using CippUsers.TenantEmulator.Graph.Invitations;
using CippUsers.TenantEmulator.Graph.Licenses;
using CippUsers.TenantEmulator.Graph.Users;

namespace CippUsers.TenantEmulator.Graph;

/// <summary>Every Graph route the emulator serves, in one table (v1.0 and beta share it).</summary>
internal static class GraphRoutes
{
    public static GraphRouter Build()
    {
        var router = new GraphRouter();
        UserRoutes.Map(router);
        LicenseRoutes.Map(router);
        DirectoryRoutes.Map(router);
        GroupRoutes.Map(router);
        InvitationRoutes.Map(router);
        AuthenticationRoutes.Map(router);
        BatchRoutes.Map(router);
        return router;
    }
}
