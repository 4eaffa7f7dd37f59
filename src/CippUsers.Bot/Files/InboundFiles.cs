using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Files;

/// <summary>Downloads the files techs send in the 1:1 chat: a plain GET of Teams' pre-authenticated download URL, only
/// from allowed hosts (<see cref="FileHosts"/>), redirects checked hop by hop, and never more than
/// <see cref="FilesOptions.MaxInboundBytes"/> read.</summary>
public sealed class InboundFiles
{
    internal const string HttpClientName = "CippUsers.Files";
    private const int MaxRedirects = 3;

    private readonly IHttpClientFactory _http;
    private readonly FileHosts _hosts;
    private readonly IOptions<FilesOptions> _options;
    private readonly ILogger<InboundFiles> _log;

    internal InboundFiles(IHttpClientFactory http, FileHosts hosts, IOptions<FilesOptions> options, ILogger<InboundFiles> log)
    {
        _http = http;
        _hosts = hosts;
        _options = options;
        _log = log;
    }

    /// <summary>Reads the whole file into memory (bounded by the size limit) or says why not. Never throws for a bad
    /// URL, a refused host, an HTTP error or an oversize file; only for cancellation.</summary>
    public async Task<InboundDownload> OpenAsync(InboundFile file, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        var limit = _options.Value.MaxInboundBytes;
        if (!_hosts.IsAllowed(file.DownloadUrl, out var uri))
        {
            _log.LogWarning("Refused to download a {FileType} file from a host that is not SharePoint/OneDrive", file.FileType);
            return InboundDownload.Refused($"I can only read files that Teams stored in OneDrive or SharePoint; \"{file.Name}\" comes from somewhere else.");
        }

        var client = _http.CreateClient(HttpClientName);
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                if (IsRedirect(response.StatusCode))
                {
                    var next = response.Headers.Location is { } location ? new Uri(uri!, location) : null;
                    if (hop >= MaxRedirects || next is null || !_hosts.IsAllowed(next.AbsoluteUri, out uri))
                    {
                        _log.LogWarning("Refused a redirect while downloading a {FileType} file", file.FileType);
                        return InboundDownload.Refused($"I could not download \"{file.Name}\": Teams sent me somewhere I don't fetch files from.");
                    }

                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    _log.LogWarning("Downloading a {FileType} file answered {StatusCode}", file.FileType, (int)response.StatusCode);
                    return InboundDownload.Refused($"I could not download \"{file.Name}\" (HTTP {(int)response.StatusCode}). Please send it again.");
                }

                if (response.Content.Headers.ContentLength is { } declared && declared > limit)
                {
                    return TooBig(file, limit);
                }

                return await ReadBoundedAsync(file, response, limit, ct);
            }
        }
        catch (HttpRequestException e)
        {
            _log.LogWarning("Downloading a {FileType} file failed: {Error}", file.FileType, e.HttpRequestError);
            return InboundDownload.Refused($"I could not download \"{file.Name}\". Please send it again.");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return InboundDownload.Refused($"Downloading \"{file.Name}\" took too long. Please send it again.");
        }
    }

    private async Task<InboundDownload> ReadBoundedAsync(InboundFile file, HttpResponseMessage response, long limit, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                await buffer.DisposeAsync();
                return TooBig(file, limit);
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        _log.LogInformation("Downloaded a {FileType} file of {Bytes} bytes", file.FileType, buffer.Length);
        return InboundDownload.Ok(buffer);
    }

    private InboundDownload TooBig(InboundFile file, long limit)
    {
        _log.LogWarning("Refused a {FileType} file larger than {Limit} bytes", file.FileType, limit);
        return InboundDownload.Refused($"\"{file.Name}\" is too large: I accept files up to {Size(limit)}.");
    }

    internal static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    private static bool IsRedirect(HttpStatusCode status)
        => status is HttpStatusCode.Moved or HttpStatusCode.Redirect or HttpStatusCode.RedirectMethod
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
