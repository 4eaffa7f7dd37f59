using System.Text.Json.Nodes;

namespace CippUsers.Bot.Files;

/// <summary>A fileConsent/invoke from Teams, as plain data: "accept" (with where to upload) or "decline".</summary>
/// <param name="Action">accept or decline (anything else is answered 400 before it gets here).</param>
/// <param name="FileId">The opaque id the consent card carried in its accept/decline context.</param>
/// <param name="Upload">Where Teams wants the bytes (accept only).</param>
internal sealed record FileConsentAnswer(string Action, string? FileId, FileUploadTarget? Upload)
{
    public const string Accept = "accept";
    public const string Decline = "decline";
}

/// <summary>uploadInfo of an accepted consent: the OneDrive upload session and the resulting item.</summary>
internal sealed record FileUploadTarget(string UploadUrl, string? ContentUrl, string? Name, string? UniqueId, string? FileType);

/// <summary>The Teams file attachments the bot sends (not Adaptive Cards: they have their own content types).</summary>
internal static class FileAttachments
{
    public const string ConsentType = "application/vnd.microsoft.teams.card.file.consent";
    public const string InfoType = "application/vnd.microsoft.teams.card.file.info";

    /// <summary>The consent card: the contexts carry only the opaque file id, never content or names.</summary>
    public static Conversations.OutboundAttachment Consent(string fileName, string description, long sizeInBytes, string fileId)
        => new(ConsentType, fileName, null, new JsonObject
        {
            ["description"] = description,
            ["sizeInBytes"] = sizeInBytes,
            ["acceptContext"] = new JsonObject { ["fileId"] = fileId },
            ["declineContext"] = new JsonObject { ["fileId"] = fileId },
        });

    public static Conversations.OutboundAttachment Info(FileUploadTarget upload, string fileName)
        => new(InfoType, upload.Name ?? fileName, upload.ContentUrl, new JsonObject
        {
            ["uniqueId"] = upload.UniqueId,
            ["fileType"] = upload.FileType ?? Path.GetExtension(fileName).TrimStart('.'),
        });
}
