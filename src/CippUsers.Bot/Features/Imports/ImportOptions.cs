using System.ComponentModel.DataAnnotations;

namespace CippUsers.Bot.Features.Imports;

/// Section "Imports": how big a bulk add / bulk invite input may be.
internal sealed class ImportOptions
{
    public const string Section = "Imports";

    /// Most data rows one import may hold (no 250-row cap like the admin center's; larger files are split by the tech).
    [Range(1, 50_000)]
    public int MaxRows { get; set; } = 10_000;

    /// Largest CSV (pasted text or file) read, in bytes; a file sent in chat is also held to Files:MaxInboundBytes.
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// Most rows created or invited at once at the start of a job; the job grows toward this while Graph answers cleanly.
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 8;
}
