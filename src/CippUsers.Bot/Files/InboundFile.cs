namespace CippUsers.Bot.Files;

/// <summary>A file the tech sent the bot in the 1:1 chat (Teams file.download.info attachment). The download URL is
/// pre-authenticated and untrusted: open it only through <see cref="InboundFiles.OpenAsync"/>.</summary>
/// <param name="Name">File name as the tech sees it, e.g. "users.csv".</param>
/// <param name="FileType">Extension without the dot, lower case, e.g. "csv".</param>
/// <param name="DownloadUrl">content.downloadUrl (never log it: it carries a token).</param>
/// <param name="UniqueId">The OneDrive item id, if Teams sent one.</param>
public sealed record InboundFile(string Name, string FileType, string DownloadUrl, string? UniqueId = null)
{
    public const string ContentType = "application/vnd.microsoft.teams.file.download.info";

    internal static string NormalizeType(string? fileType, string name)
    {
        var type = string.IsNullOrWhiteSpace(fileType) ? Path.GetExtension(name) : fileType;
        return type.Trim().TrimStart('.').ToLowerInvariant();
    }

    public override string ToString() => $"{Name} ({FileType})";
}

/// <summary>The outcome of <see cref="InboundFiles.OpenAsync"/>: the whole file (at most the size limit, held in memory)
/// or the reason it was refused, worded for the tech.</summary>
public sealed class InboundDownload : IDisposable
{
    private InboundDownload(Stream? content, string? problem)
    {
        Content = content;
        Problem = problem;
    }

    /// <summary>The file's bytes, positioned at 0 and seekable; null when <see cref="Problem"/> is set.</summary>
    public Stream? Content { get; }

    /// <summary>Why the file could not be read, in words for the tech; null on success.</summary>
    public string? Problem { get; }

    public bool Succeeded => Content is not null;

    public long Length => Content?.Length ?? 0;

    internal static InboundDownload Ok(Stream content) => new(content, null);

    internal static InboundDownload Refused(string problem) => new(null, problem);

    public void Dispose() => Content?.Dispose();
}
