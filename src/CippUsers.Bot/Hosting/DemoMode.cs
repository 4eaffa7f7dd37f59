using System.Net;

namespace CippUsers.Bot.Hosting;

/// <summary>Demo mode: no Bot Framework credentials, loopback only, the tenant emulator in-process, SQLite under ./data.</summary>
internal static class DemoMode
{
    public static Task ConfigureAsync(WebApplicationBuilder builder, CancellationToken ct)
    {
        _ = ct;
        var dataDirectory = builder.Configuration[$"{BotOptions.Section}:{nameof(BotOptions.DataDirectory)}"] ?? new BotOptions().DataDirectory;
        Directory.CreateDirectory(Path.Combine(builder.Environment.ContentRootPath, dataDirectory));
        return Task.CompletedTask;
    }

    /// <summary>Anonymous Bot Framework traffic is accepted only from this machine.</summary>
    public static ValueTask<object?> LoopbackOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            return ValueTask.FromResult<object?>(Results.Unauthorized());
        }

        // With no app id the SDK still validates a token that is present, against Bot Framework's cloud metadata;
        // demo mode never calls off this machine, so a token (from a local client) is dropped instead.
        http.Request.Headers.Authorization = default;
        return next(context);
    }
}
