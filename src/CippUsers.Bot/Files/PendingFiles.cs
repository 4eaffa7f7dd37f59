using System.Collections.Concurrent;
using System.Security.Cryptography;
using CippUsers.Bot.Conversations;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Files;

/// <summary>Files offered and not yet taken, in this process only (a restart forgets them: the tech is asked to run the
/// command again). Ids are random 256-bit values; expired files are wiped by <see cref="Sweep"/>.</summary>
internal sealed class PendingFiles(TimeProvider time, IOptions<FilesOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, PendingFile> _files = new(StringComparer.Ordinal);

    public int Count => _files.Count;

    public PendingFile Add(PendingFileKind kind, Caller owner, ConversationAddress chat, string fileName, FileContent content)
    {
        var lifetime = kind == PendingFileKind.Link ? options.Value.DemoLinkLifetime : options.Value.OfferLifetime;
        var file = new PendingFile(NewId(), kind, owner.AadObjectId, chat, fileName, content, time.GetUtcNow() + lifetime);
        _files[file.Id] = file;
        return file;
    }

    /// <summary>The file if it exists, is of <paramref name="kind"/> and has not expired (an expired one is dropped).</summary>
    public PendingFile? Find(string? id, PendingFileKind kind)
    {
        if (string.IsNullOrEmpty(id) || !_files.TryGetValue(id, out var file) || file.Kind != kind)
        {
            return null;
        }

        if (file.ExpiresAt <= time.GetUtcNow())
        {
            Drop(file.Id);
            return null;
        }

        return file;
    }

    /// <summary>Removes the file for its one use; false if someone else took it first (a double click).</summary>
    public bool TryTake(PendingFile file) => _files.TryRemove(new KeyValuePair<string, PendingFile>(file.Id, file));

    public void Drop(string id)
    {
        if (_files.TryRemove(id, out var file))
        {
            file.Content.Dispose();
        }
    }

    public int Sweep()
    {
        var now = time.GetUtcNow();
        var dropped = 0;
        foreach (var file in _files.Values.Where(f => f.ExpiresAt <= now))
        {
            if (_files.TryRemove(new KeyValuePair<string, PendingFile>(file.Id, file)))
            {
                file.Content.Dispose();
                dropped++;
            }
        }

        return dropped;
    }

    public void Dispose()
    {
        foreach (var id in _files.Keys)
        {
            Drop(id);
        }
    }

    private static string NewId() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}

internal enum PendingFileKind { Consent, Link }

internal sealed record PendingFile(
    string Id, PendingFileKind Kind, string OwnerAadObjectId, ConversationAddress Chat, string FileName, FileContent Content, DateTimeOffset ExpiresAt);

/// <summary>Wipes expired offers every minute (in-memory bytes zeroed, temp files deleted).</summary>
internal sealed class PendingFilesSweeper(PendingFiles files, TimeProvider time, IOptions<FilesOptions> options, ILogger<PendingFilesSweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DeleteLeftovers();
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (files.Sweep() is > 0 and var dropped)
                {
                    log.LogInformation("Dropped {Count} expired file offers", dropped);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // Temporary files of a process that stopped without cleaning up (offers die with their process). Only files older
    // than the longest offer, so another bot process on this machine keeps its own.
    private void DeleteLeftovers()
    {
        try
        {
            var cutoff = time.GetUtcNow().UtcDateTime - options.Value.OfferLifetime - TimeSpan.FromMinutes(5);
            var deleted = 0;
            foreach (var file in new DirectoryInfo(FileContent.TempFolder()).EnumerateFiles())
            {
                if (file.LastWriteTimeUtc < cutoff)
                {
                    file.Delete();
                    deleted++;
                }
            }

            if (deleted > 0)
            {
                log.LogInformation("Deleted {Count} temporary files left by an earlier run", deleted);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("Could not clean the temporary file folder: {ErrorType}", e.GetType().Name);
        }
    }
}
