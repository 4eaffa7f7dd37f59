using System.ComponentModel.DataAnnotations;

namespace CippUsers.Bot.Hosting;

/// <summary>Section "Bot": how the host runs.</summary>
public sealed class BotOptions
{
    public const string Section = "Bot";

    /// <summary>Demo mode listens on http://127.0.0.1:{Port} only (the Agents Playground's default is 3978).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 3978;

    /// <summary>Folder for the SQLite database and other local state (relative paths are under the content root).</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Demo mode only: host the tenant emulator in-process and use its tenants as Graph:Tenants (default true;
    /// tests that bring their own tenants turn it off).</summary>
    public bool DemoEmulator { get; set; } = true;
}
