using System.Globalization;
using System.Net;
using CippUsers.TenantEmulator;
using CippUsers.TenantEmulator.Sherweb;
using Microsoft.Extensions.Configuration.Json;

namespace CippUsers.Bot.Hosting;

/// <summary>Demo mode: no Bot Framework credentials, loopback only, the tenant emulator in-process, SQLite under ./data.</summary>
internal static class DemoMode
{
    public static async Task ConfigureAsync(WebApplicationBuilder builder, CancellationToken ct)
    {
        AddDemoRoles(builder);
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
            ["Exchange:BaseUrl"] = emulator.BaseUri.ToString(),
            ["Graph:AuthorityHost"] = emulator.BaseUri.ToString(),
            ["Graph:TrustedCertificateThumbprint"] = emulator.CertificateThumbprint,
            ["Graph:Partner:ClientId"] = emulator.ClientId,
            ["Graph:Partner:ClientSecret"] = emulator.ClientSecret,
        };
        AddDemoSherweb(settings, emulator);
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

    /// <summary>Sherweb purchase against the emulator's Sherweb API for Contoso Dental and Fabrikam Logistics (Northwind
    /// Health stays unmapped, so it shows no purchase option).</summary>
    private static void AddDemoSherweb(Dictionary<string, string?> settings, EmulatorHost emulator)
    {
        settings["Sherweb:Enabled"] = "true";
        settings["Sherweb:ClientId"] = emulator.Sherweb.Settings.ClientId;
        settings["Sherweb:ClientSecret"] = emulator.Sherweb.Settings.ClientSecret;
        settings["Sherweb:SubscriptionKey"] = emulator.Sherweb.Settings.SubscriptionKey;
        settings["Sherweb:TokenUrl"] = emulator.SherwebTokenUri.ToString();
        settings["Sherweb:ApiBaseUrl"] = emulator.SherwebApiUri.ToString();
        settings["Sherweb:TrustedCertificateThumbprint"] = emulator.CertificateThumbprint;
        settings["Sherweb:AssignmentCheck:Interval"] = "00:00:15";
        var mapped = 0;
        foreach (var tenantId in new[] { SeededTenants.ContosoDentalId, SeededTenants.FabrikamLogisticsId })
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"Sherweb:Customers:{mapped++}:");
            settings[prefix + "TenantId"] = tenantId;
            settings[prefix + "CustomerId"] = SherwebCustomers.ForTenant(tenantId);
        }
    }

    /// <summary>The demo's roles for the Playground's people (appsettings.Demo.json), placed right after the other JSON
    /// files so environment variables, the command line and in-memory settings still override them.</summary>
    private static void AddDemoRoles(WebApplicationBuilder builder)
    {
        IConfigurationBuilder configuration = builder.Configuration;
        var demo = new JsonConfigurationSource
        {
            Path = "appsettings.Demo.json",
            Optional = true,
            FileProvider = builder.Environment.ContentRootFileProvider,
        };
        var lastJson = -1;
        for (var i = 0; i < configuration.Sources.Count; i++)
        {
            if (configuration.Sources[i] is JsonConfigurationSource)
            {
                lastJson = i;
            }
        }

        configuration.Sources.Insert(lastJson + 1, demo);
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
