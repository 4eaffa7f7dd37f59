using CippUsers.Bot.Tests.Jobs;

/// <summary>
/// .NET startup hook (DOTNET_STARTUP_HOOKS): runs before Main, outside any type or module initializer, so the job
/// server's worker threads can load this assembly's types. Only the child process sets the hook; the variable's value
/// names the <see cref="ChildHost"/> it runs.
/// </summary>
#pragma warning disable CA1050 // The runtime looks the hook up by this exact global name.
internal static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        // By name only (Enum.TryParse would also take "1").
        if (Environment.GetEnvironmentVariable(JobTestHost.ChildVariable) is not { } host || !Enum.GetNames<ChildHost>().Contains(host, StringComparer.Ordinal))
            return;
        JobTestHost.RunChild(Enum.Parse<ChildHost>(host));
        Environment.Exit(0);
    }
}
