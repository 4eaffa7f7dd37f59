using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CippUsers.Bot.Tests.Files;

/// <summary>A OneDrive stand-in on 127.0.0.1: serves files for download (GET /download/...) and takes upload-session
/// chunks (PUT /upload/{session}), recording each chunk's headers and bytes.</summary>
public sealed class FileTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly ConcurrentQueue<UploadChunk> _chunks = new();

    private FileTestServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyList<UploadChunk> Chunks => [.. _chunks];

    private int _downloads;

    public int Downloads => Volatile.Read(ref _downloads);

    public static async Task<FileTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FileTestServer(app);
        app.MapGet("/download/{name}", server.DownloadAsync);
        // Streams `size` bytes without a Content-Length (chunked), to check the limit is enforced while reading.
        app.MapGet("/stream/{size:long}", async (long size, HttpContext http) =>
        {
            var block = new byte[8192];
            Array.Fill(block, (byte)'x');
            for (long sent = 0; sent < size && !http.RequestAborted.IsCancellationRequested; sent += block.Length)
            {
                await http.Response.Body.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, size - sent)), http.RequestAborted);
            }
        });
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapPut("/upload/{session}", server.UploadAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public string Serve(string name, byte[] content)
    {
        _files[name] = content;
        return new Uri(BaseUri, $"download/{name}?tempauth=secret-token").ToString();
    }

    public byte[] Uploaded(string session)
        => [.. _chunks.Where(c => c.Session == session).OrderBy(c => c.Start).SelectMany(c => c.Bytes)];

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task DownloadAsync(string name, HttpContext http)
    {
        Interlocked.Increment(ref _downloads);
        if (!_files.TryGetValue(name, out var content))
        {
            http.Response.StatusCode = 404;
            return;
        }

        http.Response.ContentLength = content.Length;
        await http.Response.Body.WriteAsync(content, http.RequestAborted);
    }

    private async Task UploadAsync(string session, HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var range = http.Request.Headers.ContentRange.ToString();
        var start = long.Parse(range.Split(' ', '-')[1], System.Globalization.CultureInfo.InvariantCulture);
        _chunks.Enqueue(new UploadChunk(session, range, http.Request.ContentLength, start, buffer.ToArray()));
        var total = long.Parse(range.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture);
        http.Response.StatusCode = start + buffer.Length >= total ? StatusCodes.Status201Created : StatusCodes.Status202Accepted;
    }
}

public sealed record UploadChunk(string Session, string ContentRange, long? ContentLength, long Start, byte[] Bytes);
