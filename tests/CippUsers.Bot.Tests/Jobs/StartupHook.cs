using CippUsers.Bot.Tests.Jobs;

/// <summary>
/// .NET startup hook (DOTNET_STARTUP_HOOKS): runs before Main, outside any type or module initializer, so the job
/// server's worker threads can load this assembly's types. Only the child process sets the hook.
/// </summary>
#pragma warning disable CA1050 // The runtime looks the hook up by this exact global name.
internal static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(JobTestHost.ChildVariable) != "1")
            return;
        JobTestHost.RunChild();
        Environment.Exit(0);
    }
}
