using CippUsers.Bot.Hosting;
using CippUsers.Bot.Teams;
using CippUsers.Graph;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Features.AddUser;

/// Wiring for Add User. Needs AddCippGraph, AddCippJobs and AddCippSafety.
internal static class AddUserSetup
{
    public static IServiceCollection AddCippAddUser(this IServiceCollection services)
    {
        services.AddSingleton(sp => new UserProvisioning(
            sp.GetRequiredService<GraphCalls>(), sp.GetRequiredService<UserOperations>(), sp.GetRequiredService<LicenseOperations>(),
            sp.GetRequiredService<ManagerOperations>(), sp.GetRequiredService<GroupOperations>(), sp.GetRequiredService<ILogger<UserProvisioning>>()));
        services.AddSingleton<AddUserPasswords>();
        services.AddTransient<AddUserJob>();
        services.AddFeature<AddUserFeature>();
        services.AddFeature<AddUserPreferencesFeature>();
        services.AddFeature<AddUserTemplatesFeature>();
        services.AddFeature<AddUserTasksFeature>();
        return services;
    }

    /// GET /users/add?… (the seed's Add User query string, e.g. from an AutoTask LiveLink): redirects to a Teams deep link
    /// that opens the 1:1 chat with the bot with the prefilled `add user …` command.
    public static WebApplication MapCippAddUser(this WebApplication app)
    {
        app.MapGet("/users/add", (HttpRequest request, IOptions<BotAuthenticationOptions> auth) =>
            Results.Redirect(DeepLink(auth.Value.MicrosoftAppId, request.Query.SelectMany(q => q.Value.Select(v => (q.Key, v ?? string.Empty))))));
        return app;
    }

    public static string DeepLink(string? botAppId, IEnumerable<(string Key, string Value)> pairs)
    {
        var command = AddUserPrefill.ToCommand(pairs);
        return $"https://teams.microsoft.com/l/chat/0/0?users=28:{Uri.EscapeDataString(botAppId ?? "demo-bot")}&message={Uri.EscapeDataString(command)}";
    }
}
