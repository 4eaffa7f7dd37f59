namespace CippUsers.Bot.Tests.Infrastructure;

/// <summary>Finds ../shared beside the repository (the folder with the JSON schemas) by walking up from the test binaries.</summary>
public static class SharedFolder
{
    public static string Schemas => Path.Combine(Root, "schemas");

    public static string Root { get; } = Find();

    public static string Schema(string fileName) => Path.Combine(Schemas, fileName);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "schemas");
            if (Directory.Exists(candidate))
            {
                return Path.Combine(dir.FullName, "shared");
            }
        }

        throw new DirectoryNotFoundException($"No shared/schemas folder above {AppContext.BaseDirectory}.");
    }
}
