using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Files;

/// <summary>
/// Hands a file to a tech in their 1:1 chat with the bot. In Teams: a file consent card; when the tech accepts, the
/// bytes are PUT (in Content-Range chunks) to the OneDrive upload URL Teams gives, and a file info card follows. In demo
/// mode (the Agents Playground has no file consent): a one-time download link on the bot host, valid 15 minutes.
/// Offers live in this process only; only the tech a file was offered to can take it.
/// </summary>
public sealed class FileDelivery : IAsyncDisposable
{
    private readonly ProactiveMessenger _messenger;
    private readonly PendingFiles _pending;
    private readonly FileHosts _hosts;
    private readonly IHttpClientFactory _http;
    private readonly IOptions<FilesOptions> _options;
    private readonly IOptions<BotAuthenticationOptions> _auth;
    private readonly IServer _server;
    private readonly ILogger<FileDelivery> _log;
    private readonly ConcurrentDictionary<Task, bool> _uploads = new();
    private readonly CancellationTokenSource _stopping = new();

    internal FileDelivery(
        ProactiveMessenger messenger,
        PendingFiles pending,
        FileHosts hosts,
        IHttpClientFactory http,
        IOptions<FilesOptions> options,
        IOptions<BotAuthenticationOptions> auth,
        IServer server,
        ILogger<FileDelivery> log)
    {
        _messenger = messenger;
        _pending = pending;
        _hosts = hosts;
        _http = http;
        _options = options;
        _auth = auth;
        _server = server;
        _log = log;
    }

    /// <summary>True when files go out as demo download links rather than consent cards.</summary>
    public bool UsesLinks => _auth.Value.IsDemo && _options.Value.Delivery != FileOfferMode.Consent;

    /// <summary>Offers <paramref name="content"/> to <paramref name="tech"/> in their 1:1 chat with the bot (opened from
    /// <paramref name="conversation"/>, any conversation of the tech's tenant). Takes ownership of the content. Returns
    /// a line for a shared card ("users.csv sent to your private chat").</summary>
    /// <param name="fileName">File name the tech sees, e.g. "contoso-users.csv".</param>
    /// <param name="description">One line shown with the file (no secrets in it).</param>
    public async Task<FileOffer> OfferAsync(ConversationAddress conversation, Caller tech, string fileName, string description, FileContent content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(tech);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length == 0)
        {
            content.Dispose();
            throw new ArgumentException("The file is empty.", nameof(content));
        }

        fileName = SafeName(fileName);
        PendingFile? pending = null;
        try
        {
            // Always the tech's own 1:1 chat (Teams returns the existing one): a personal chat handed in could be someone else's.
            var chat = await _messenger.GetOrCreatePersonalChatAsync(conversation, tech, ct);
            var kind = UsesLinks ? PendingFileKind.Link : PendingFileKind.Consent;
            pending = _pending.Add(kind, tech, chat, fileName, content);
            var lifetime = Duration(kind == PendingFileKind.Link ? _options.Value.DemoLinkLifetime : _options.Value.OfferLifetime);
            var keep = content.IsInMemory
                ? $"It is kept in memory only (never on disk) and deleted once you take it, or after {lifetime}."
                : $"It is deleted once you take it, or after {lifetime}.";
            if (kind == PendingFileKind.Link)
            {
                var link = new Uri(BaseAddress(), $"files/{pending.Id}");
                await _messenger.SendTextAsync(chat,
                    $"**{fileName}** ({InboundFiles.Size(content.Length)}): {description}\n\n[Download {fileName}]({link}) — the link works once, from this machine only. {keep}",
                    ct);
            }
            else
            {
                await _messenger.SendAttachmentAsync(chat, FileAttachments.Consent(fileName, $"{description} {keep}".Trim(), content.Length, pending.Id), ct);
            }

            _log.LogInformation("Offered a file of {Bytes} bytes to {AadObjectId} as a {Kind}", content.Length, tech.AadObjectId, kind);
            return new FileOffer(fileName, pending.ExpiresAt, kind == PendingFileKind.Link);
        }
        catch
        {
            if (pending is not null)
            {
                _pending.Drop(pending.Id);
            }
            else
            {
                content.Dispose();
            }

            throw;
        }
    }

    /// <summary>The tech's answer to a consent card (fileConsent/invoke). Always answered 200 by the caller; what
    /// happened is posted to the chat.</summary>
    internal async Task OnConsentAsync(BotTurn turn, FileConsentAnswer answer, CancellationToken ct)
    {
        var file = _pending.Find(answer.FileId, PendingFileKind.Consent);
        if (file is null)
        {
            await turn.SendTextAsync("This file has expired (or the bot restarted since it was offered). Run the command again to get a new one.", ct);
            return;
        }

        if (!string.Equals(file.OwnerAadObjectId, turn.Caller.AadObjectId, StringComparison.OrdinalIgnoreCase))
        {
            _log.LogWarning("{AadObjectId} answered a file offer made to someone else", turn.Caller.AadObjectId);
            await turn.SendTextAsync("This file was offered to another tech; only they can accept it.", ct);
            return;
        }

        if (answer.Action == FileConsentAnswer.Decline)
        {
            if (_pending.TryTake(file))
            {
                file.Content.Dispose();
                await turn.SendTextAsync($"OK, I deleted {file.FileName}.", ct);
            }

            return;
        }

        if (answer.Upload is not { } upload || !_hosts.IsAllowed(upload.UploadUrl, out var uploadUri))
        {
            _log.LogWarning("Refused a file upload address that is not OneDrive/SharePoint");
            if (_pending.TryTake(file))
            {
                file.Content.Dispose();
            }

            await turn.SendTextAsync($"Teams gave me an upload address I don't send files to, so {file.FileName} was not sent. Run the command again.", ct);
            return;
        }

        if (!_pending.TryTake(file))
        {
            return; // a second click on Allow: the first one is uploading
        }

        await turn.SendTextAsync($"Uploading {file.FileName} to your OneDrive…", ct);
        var conversation = turn.Conversation;
        var task = Task.Run(() => UploadAsync(file, upload, uploadUri!, conversation, _stopping.Token), CancellationToken.None);
        _uploads[task] = true;
        _ = task.ContinueWith(t => _uploads.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Demo download: the content for a link token, once; null when unknown, used or expired.</summary>
    internal PendingFile? TakeLink(string token)
    {
        if (!_auth.Value.IsDemo || _pending.Find(token, PendingFileKind.Link) is not { } file || !_pending.TryTake(file))
        {
            return null;
        }

        return file;
    }

    private async Task UploadAsync(PendingFile file, FileUploadTarget upload, Uri uploadUri, ConversationAddress chat, CancellationToken ct)
    {
        try
        {
            var client = _http.CreateClient(InboundFiles.HttpClientName);
            var total = file.Content.Length;
            var chunkSize = _options.Value.UploadChunkBytes;
            var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
            try
            {
                await using var source = file.Content.OpenRead();
                for (long start = 0; start < total;)
                {
                    var length = await source.ReadAtLeastAsync(buffer.AsMemory(0, (int)Math.Min(chunkSize, total - start)), (int)Math.Min(chunkSize, total - start), throwOnEndOfStream: true, ct);
                    using var body = new ByteArrayContent(buffer, 0, length);
                    body.Headers.ContentLength = length;
                    body.Headers.ContentRange = new ContentRangeHeaderValue(start, start + length - 1, total);
                    using var request = new HttpRequestMessage(HttpMethod.Put, uploadUri) { Content = body };
                    using var response = await client.SendAsync(request, ct);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new HttpRequestException($"The upload answered {(int)response.StatusCode}.", null, response.StatusCode);
                    }

                    start += length;
                }
            }
            finally
            {
                Array.Clear(buffer);
                ArrayPool<byte>.Shared.Return(buffer);
            }

            await _messenger.SendAttachmentAsync(chat, FileAttachments.Info(upload, file.FileName), ct);
            _log.LogInformation("Uploaded a file of {Bytes} bytes for {AadObjectId}", total, file.OwnerAadObjectId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Type and status only: nothing from the file or the upload URL (it carries a token).
            _log.LogError("Uploading a file for {AadObjectId} failed: {ErrorType} {StatusCode}", file.OwnerAadObjectId, e.GetType().Name, (e as HttpRequestException)?.StatusCode);
            await TryTellAsync(chat, $"I could not upload {file.FileName} to your OneDrive. Run the command again to get a new file.");
        }
        finally
        {
            file.Content.Dispose();
        }
    }

    private async Task TryTellAsync(ConversationAddress chat, string text)
    {
        try
        {
            await _messenger.SendTextAsync(chat, text, CancellationToken.None);
        }
        catch (Exception e)
        {
            _log.LogWarning("Could not report a failed upload: {ErrorType}", e.GetType().Name);
        }
    }

    private Uri BaseAddress()
    {
        var addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The bot host has no address to serve download links from.");
        return new Uri(address.Replace("//0.0.0.0", "//127.0.0.1", StringComparison.Ordinal).Replace("//[::]", "//127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
    }

    private static string SafeName(string fileName)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['\\', '/', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
        var clean = new string([.. fileName.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c)]).Trim();
        return clean.Length == 0 ? "file" : clean;
    }

    private static string Duration(TimeSpan span) => span.TotalMinutes >= 60
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(span.TotalHours):0} hour{(Math.Round(span.TotalHours) == 1 ? "" : "s")}")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, Math.Round(span.TotalMinutes)):0} minutes");

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_uploads.Keys);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
        {
        }

        _stopping.Dispose();
    }
}

/// <summary>What <see cref="FileDelivery.OfferAsync"/> did.</summary>
/// <param name="FileName">The name the tech sees.</param>
/// <param name="ExpiresAt">When the offer is dropped if not taken.</param>
/// <param name="AsLink">True in demo mode: a one-time download link was posted instead of a consent card.</param>
public sealed record FileOffer(string FileName, DateTimeOffset ExpiresAt, bool AsLink)
{
    /// <summary>A line for a shared card or the invoke answer.</summary>
    public string Summary => $"{FileName} was sent to your private chat with me.";
}
