using CippUsers.ManifestPackager;

// Usage: tools/package-manifest [--bot-id GUID] [--app-id GUID] [--version X.Y.Z] [--domain HOST]... [--output FILE] [--manifest DIR]
// The bot id is the bot's Microsoft App ID: --bot-id, else the MicrosoftAppId environment variable.
var arguments = ParseArguments(args);
if (arguments is null)
{
    return 2;
}

var botIdText = arguments.GetValueOrDefault("--bot-id")?.FirstOrDefault() ?? Environment.GetEnvironmentVariable("MicrosoftAppId");
if (!Guid.TryParse(botIdText, out var botId))
{
    Console.Error.WriteLine(botIdText is null
        ? "The bot id is missing: pass --bot-id <Microsoft App ID> or set MicrosoftAppId."
        : "The bot id must be a GUID (the bot's Microsoft App ID).");
    return 2;
}

Guid? appId = null;
if (arguments.GetValueOrDefault("--app-id")?.FirstOrDefault() is { } appIdText)
{
    if (!Guid.TryParse(appIdText, out var parsed))
    {
        Console.Error.WriteLine("--app-id must be a GUID.");
        return 2;
    }

    appId = parsed;
}

var manifestDirectory = arguments.GetValueOrDefault("--manifest")?.FirstOrDefault() ?? FindManifestDirectory();
var output = Path.GetFullPath(arguments.GetValueOrDefault("--output")?.FirstOrDefault()
    ?? Path.Combine(manifestDirectory, "build", "CippUsers.zip"));
Directory.CreateDirectory(Path.GetDirectoryName(output)!);

var options = new AppPackageOptions(botId, appId, arguments.GetValueOrDefault("--version")?.FirstOrDefault(), arguments.GetValueOrDefault("--domain"));
using (var file = File.Create(output))
{
    AppPackage.Write(manifestDirectory, options, file);
}

Console.WriteLine($"Wrote {output} (bot {botId:D}). Upload it in Teams: Apps > Manage your apps > Upload an app.");
return 0;

static Dictionary<string, List<string>>? ParseArguments(string[] args)
{
    string[] known = ["--bot-id", "--app-id", "--version", "--domain", "--output", "--manifest"];
    var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i++)
    {
        if (!known.Contains(args[i]) || i + 1 >= args.Length)
        {
            Console.Error.WriteLine($"Unknown or incomplete option {args[i]}. Options: {string.Join(' ', known)} (each takes a value).");
            return null;
        }

        if (!result.TryGetValue(args[i], out var values))
        {
            result[args[i]] = values = [];
        }

        values.Add(args[++i]);
    }

    return result;
}

static string FindManifestDirectory()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "manifest", AppPackage.ManifestFileName);
            if (File.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate)!;
            }
        }
    }

    throw new DirectoryNotFoundException("manifest/manifest.json not found; pass --manifest <dir>.");
}
