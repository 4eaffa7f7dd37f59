using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CippUsers.ManifestPackager;

/// <summary>What goes into one app package besides manifest/ as committed.</summary>
internal sealed record AppPackageOptions(Guid BotId, Guid? AppId = null, string? Version = null, IReadOnlyList<string>? ExtraDomains = null);

/// <summary>Builds the Teams app package: manifest.json with the bot id substituted, plus the two icons it names.</summary>
internal static class AppPackage
{
    public const string ManifestFileName = "manifest.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string manifestDirectory, AppPackageOptions options, Stream output)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(manifestDirectory, ManifestFileName)))?.AsObject()
            ?? throw new InvalidDataException($"{ManifestFileName} is not a JSON object.");

        var bots = manifest["bots"]?.AsArray() ?? throw new InvalidDataException($"{ManifestFileName} has no bots.");
        foreach (var bot in bots)
        {
            bot!["botId"] = options.BotId.ToString("D");
        }

        if (options.AppId is { } appId)
        {
            manifest["id"] = appId.ToString("D");
        }

        if (!string.IsNullOrWhiteSpace(options.Version))
        {
            manifest["version"] = options.Version;
        }

        if (options.ExtraDomains is { Count: > 0 } domains)
        {
            var validDomains = manifest["validDomains"]?.AsArray() ?? [];
            manifest["validDomains"] = validDomains;
            foreach (var domain in domains.Where(d => validDomains.All(v => v?.GetValue<string>() != d)))
            {
                validDomains.Add(domain);
            }
        }

        var icons = manifest["icons"]?.AsObject() ?? throw new InvalidDataException($"{ManifestFileName} has no icons.");
        var iconFiles = icons.Select(i => i.Value!.GetValue<string>()).Distinct().ToList();

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var entry = zip.CreateEntry(ManifestFileName, CompressionLevel.Optimal);
        using (var stream = entry.Open())
        {
            JsonSerializer.Serialize(stream, manifest, Indented);
        }

        foreach (var icon in iconFiles)
        {
            var path = Path.Combine(manifestDirectory, icon);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{ManifestFileName} names the icon {icon}, which is not in {manifestDirectory}.", path);
            }

            zip.CreateEntryFromFile(path, icon, CompressionLevel.Optimal);
        }
    }
}
