using System.ComponentModel.DataAnnotations;

namespace CippUsers.Bot.Files;

/// <summary>Section "Files": files the tech sends to the bot and files the bot sends to the tech (1:1 chat only).</summary>
public sealed class FilesOptions
{
    public const string Section = "Files";

    /// <summary>Largest file a tech may send (bytes); bigger downloads stop at this size. Default 10 MB.</summary>
    [Range(1, 1L << 31)]
    public long MaxInboundBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How long an offered file waits for the tech to accept it before it is deleted. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan OfferLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Demo mode: how long a download link works (it also works once only). Default 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan DemoLinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Bytes per upload request after the tech accepts a file (a multiple of 320 KiB, as OneDrive upload sessions
    /// require, up to 60 MiB). Default 5 MiB.</summary>
    [Range(320 * 1024, 60 * 1024 * 1024)]
    public int UploadChunkBytes { get; set; } = 16 * 320 * 1024;

    /// <summary>How the bot hands a file over. Auto: a Teams file consent card in production, a one-time download link in
    /// demo mode (the Agents Playground has no file consent). Consent or Link force one (Link needs demo mode).</summary>
    public FileOfferMode Delivery { get; set; } = FileOfferMode.Auto;

    /// <summary>Hosts the bot downloads files from and uploads files to (https only): a value matches the host itself
    /// and its subdomains. Defaults: SharePoint Online (commercial, GCC High, test rings) and OneDrive.</summary>
    public string[] AllowedHosts { get; set; } =
        ["sharepoint.com", "sharepoint-df.com", "sharepoint.us", "1drv.com", "1drv.ms", "onedrive.com", "onedrive.live.com"];
}

public enum FileOfferMode { Auto, Consent, Link }
