using CippUsers.Bot.Hosting;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Files;

internal static class FilesSetup
{
    /// <summary>Inbound files (<see cref="InboundFiles"/>), outbound files (<see cref="FileDelivery"/>) and their options.</summary>
    public static IServiceCollection AddCippFiles(this IServiceCollection services)
    {
        services.AddOptions<FilesOptions>().BindConfiguration(FilesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Redirects are followed by hand so every hop's host is checked; no cookies, no credentials.
        services.AddHttpClient(InboundFiles.HttpClientName, c => c.Timeout = TimeSpan.FromMinutes(2))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, Credentials = null });
        services.AddSingleton<FileHosts>();
        services.AddSingleton<PendingFiles>();
        services.AddSingleton(sp => new InboundFiles(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<FileHosts>(),
            sp.GetRequiredService<IOptions<FilesOptions>>(),
            sp.GetRequiredService<ILogger<InboundFiles>>()));
        services.AddSingleton(sp => new FileDelivery(
            sp.GetRequiredService<Conversations.ProactiveMessenger>(),
            sp.GetRequiredService<PendingFiles>(),
            sp.GetRequiredService<FileHosts>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<FilesOptions>>(),
            sp.GetRequiredService<IOptions<BotAuthenticationOptions>>(),
            sp.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>(),
            sp.GetRequiredService<ILogger<FileDelivery>>()));
        services.AddHostedService<PendingFilesSweeper>();
        return services;
    }

    /// <summary>Demo mode only: GET /files/{token} serves an offered file once, to this machine only.</summary>
    public static WebApplication MapCippFiles(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value.IsDemo)
        {
            return app;
        }

        app.MapGet("/files/{token}", DownloadAsync).AddEndpointFilter(DemoMode.LoopbackOnly);
        return app;
    }

    private static async Task DownloadAsync(string token, HttpContext http, FileDelivery delivery)
    {
        if (delivery.TakeLink(token) is not { } file)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await http.Response.WriteAsync("This link has expired or was already used. Run the command again to get a new file.", http.RequestAborted);
            return;
        }

        try
        {
            http.Response.ContentType = file.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "text/csv; charset=utf-8" : "application/octet-stream";
            http.Response.ContentLength = file.Content.Length;
            http.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = file.FileName }.ToString();
            http.Response.Headers.CacheControl = "no-store";
            await using var content = file.Content.OpenRead();
            await content.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
        finally
        {
            file.Content.Dispose();
        }
    }
}
