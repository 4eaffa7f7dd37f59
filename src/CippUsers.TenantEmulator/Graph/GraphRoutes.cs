namespace CippUsers.TenantEmulator.Graph;

/// <summary>Every Graph route the emulator serves, in one table.</summary>
internal static class GraphRoutes
{
    public static GraphRouter Build()
    {
        var router = new GraphRouter();
        return router;
    }
}
