using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace CippUsers.Bot.Tests.Manifest;

/// <summary>tools/ManifestPackager, run as a process the way tools/package-manifest runs it.</summary>
public sealed class AppPackageTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"cippusers-package-{Guid.NewGuid():N}.zip");

    [Fact]
    public async Task Package_contains_the_manifest_with_the_bot_id_and_both_icons()
    {
        var botId = Guid.NewGuid();

        var (exitCode, output) = await RunPackagerAsync("--bot-id", botId.ToString(), "--version", "1.2.3", "--domain", "bot.northbridgeit.example");

        Assert.True(exitCode == 0, $"packager failed ({exitCode}): {output}");
        using var zip = ZipFile.OpenRead(_output);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order());

        using var packaged = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        var root = packaged.RootElement;
        Assert.Equal(botId.ToString(), root.GetProperty("bots")[0].GetProperty("botId").GetString());
        Assert.Equal("1.2.3", root.GetProperty("version").GetString());
        Assert.Contains("bot.northbridgeit.example", root.GetProperty("validDomains").EnumerateArray().Select(d => d.GetString()));
        using var committed = ManifestFiles.LoadManifest();
        Assert.Equal(committed.RootElement.GetProperty("id").GetString(), root.GetProperty("id").GetString());

        foreach (var icon in new[] { "color.png", "outline.png" })
        {
            await using var packagedIcon = zip.GetEntry(icon)!.Open();
            using var copy = new MemoryStream();
            await packagedIcon.CopyToAsync(copy);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(ManifestFiles.ManifestDirectory, icon)), copy.ToArray());
        }
    }

    [Fact]
    public async Task Package_without_a_valid_bot_id_is_refused()
    {
        var (exitCode, output) = await RunPackagerAsync("--bot-id", "not-a-guid");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("GUID", output, StringComparison.Ordinal);
        Assert.False(File.Exists(_output));
    }

    public void Dispose() => File.Delete(_output);

    private async Task<(int ExitCode, string Output)> RunPackagerAsync(params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ManifestFiles.RepoRoot,
        };
        // The solution build puts the tool next to its project; run that, else build and run it.
        if (File.Exists(ManifestFiles.PackagerAssembly))
        {
            startInfo.ArgumentList.Add(ManifestFiles.PackagerAssembly);
        }
        else
        {
            foreach (var arg in new[] { "run", "--project", ManifestFiles.PackagerProject, "--" })
            {
                startInfo.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args.Concat(["--manifest", ManifestFiles.ManifestDirectory, "--output", _output]))
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment.Remove("MicrosoftAppId");
        using var process = Process.Start(startInfo)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
