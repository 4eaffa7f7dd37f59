using System.Text.Json;

namespace CippUsers.Bot.Tests.Manifest;

/// <summary>The manifest folder, the shared schemas and the packaging tool of the checkout these tests run in.</summary>
internal static class ManifestFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ManifestDirectory => Path.Combine(RepoRoot, "manifest");

    public static string ManifestPath => Path.Combine(ManifestDirectory, "manifest.json");

    public static string SchemaPath => Path.Combine(RepoRoot, "..", "shared", "schemas", "teams-manifest-1.29.schema.json");

    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";

    public static string PackagerProject => Path.Combine(RepoRoot, "tools", "ManifestPackager", "ManifestPackager.csproj");

    public static string PackagerAssembly =>
        Path.Combine(RepoRoot, "tools", "ManifestPackager", "bin", Configuration, "net10.0", "ManifestPackager.dll");

    public static JsonDocument LoadManifest() => JsonDocument.Parse(File.ReadAllText(ManifestPath));

    private static string FindRepoRoot()
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
