using CippUsers.Bot.Catalog;
using CippUsers.Bot.Teams;

namespace CippUsers.Bot.Features.Users;

internal static class UsersSetup
{
    /// The users table (list, find, user card) and its runners. Needs AddCippGraph and AddCippSafety (catalog, access
    /// policy, workflow). <paramref name="withActionMenu"/> false leaves out the menu verbs that start operations
    /// (for hosts without the job store).
    public static IServiceCollection AddCippUsers(this IServiceCollection services, bool withActionMenu = true)
    {
        services.AddSingleton<UserListSessions>();
        services.AddSingleton<UserDirectoryAccess>();
        services.AddSingleton<IActionRunner, DeleteUserRunner>();
        services.AddSingleton<IActionRunner, EditPropertiesRunner>();
        services.AddSingleton<IActionRunner, EditUserRunner>();
        services.AddSingleton<IActionForm, EditUserActionForm>();
        services.AddFeature<UsersFeature>();
        if (withActionMenu)
        {
            services.AddFeature<UserActionsMenuFeature>();
            services.AddFeature<PatchWizardFeature>();
        }

        return services;
    }
}
