namespace CippUsers.E2E.Infrastructure;

/// <summary>Where things are in the checkout the tests were built from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Build configuration of this test assembly (Debug/Release), so the bot is taken from the same build.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";

    public static string BotAssembly =>
        Path.Combine(Root, "src", "CippUsers.Bot", "bin", Configuration, "net10.0", "CippUsers.Bot.dll");

    public static string PlaygroundCli =>
        Path.Combine(Root, "node_modules", "@microsoft", "m365agentsplayground", "cli.js");

    public static string LoopbackPreload => Path.Combine(Root, "tools", "loopback-only.cjs");

    public static string PlaygroundConfig => Path.Combine(Root, ".m365agentsplayground.yml");

    public static string Artifacts => Path.Combine(Root, "artifacts", "e2e");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CippUsers.Bot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"CippUsers.Bot.sln not found above {AppContext.BaseDirectory}.");
    }
}
