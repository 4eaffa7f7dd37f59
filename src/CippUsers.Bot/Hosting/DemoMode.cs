using System.Globalization;
using System.Net;
using CippUsers.TenantEmulator;

namespace CippUsers.Bot.Hosting;

/// <summary>Demo mode: no Bot Framework credentials, loopback only, the tenant emulator in-process, SQLite under ./data.</summary>
internal static class DemoMode
{
    public static async Task ConfigureAsync(WebApplicationBuilder builder, CancellationToken ct)
    {
        var options = builder.Configuration.GetSection(BotOptions.Section).Get<BotOptions>() ?? new BotOptions();
        Directory.CreateDirectory(Path.Combine(builder.Environment.ContentRootPath, options.DataDirectory));
        if (!options.DemoEmulator)
        {
            return;
        }

        // Started before the host is built so its address, certificate and seeded tenants can become the "Graph"
        // configuration; the container owns it and stops it with the host.
        var emulator = await EmulatorHost.StartAsync(new EmulatorSettings(), ct);
        builder.Services.AddSingleton(_ => emulator);
        var settings = new Dictionary<string, string?>
        {
            ["Graph:GraphBaseUrl"] = emulator.BaseUri.ToString(),
            ["Graph:AuthorityHost"] = emulator.BaseUri.ToString(),
            ["Graph:TrustedCertificateThumbprint"] = emulator.CertificateThumbprint,
            ["Graph:Partner:ClientId"] = emulator.ClientId,
            ["Graph:Partner:ClientSecret"] = emulator.ClientSecret,
        };
        for (var i = 0; i < emulator.Tenants.Count; i++)
        {
            var tenant = emulator.Tenants[i];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"Graph:Tenants:{i}:");
            settings[prefix + "TenantId"] = tenant.TenantId;
            settings[prefix + "DisplayName"] = tenant.DisplayName;
            settings[prefix + "DefaultDomain"] = tenant.DefaultDomain;
        }

        builder.Configuration.AddInMemoryCollection(settings);
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
