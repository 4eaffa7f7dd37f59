using CippUsers.TenantEmulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Graph.Tests.Infrastructure;

/// <summary>The library wired exactly as the bot wires it (AddCippGraph over configuration), pointed at an emulator.</summary>
internal static class GraphTestHost
{
    public static ServiceProvider Create(EmulatorHost emulator, IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Graph:GraphBaseUrl"] = emulator.BaseUri.ToString(),
            ["Exchange:BaseUrl"] = emulator.BaseUri.ToString(),
            ["Graph:AuthorityHost"] = emulator.BaseUri.ToString(),
            ["Graph:TrustedCertificateThumbprint"] = emulator.CertificateThumbprint,
            ["Graph:Partner:ClientId"] = emulator.ClientId,
            ["Graph:Partner:ClientSecret"] = emulator.ClientSecret,
            ["Graph:Consistency:FirstDelay"] = "00:00:00.200",
            ["Graph:Consistency:MaxWait"] = "00:00:20",
        };
        for (var i = 0; i < emulator.Tenants.Count; i++)
        {
            settings[$"Graph:Tenants:{i}:TenantId"] = emulator.Tenants[i].TenantId;
            settings[$"Graph:Tenants:{i}:DisplayName"] = emulator.Tenants[i].DisplayName;
            settings[$"Graph:Tenants:{i}:DefaultDomain"] = emulator.Tenants[i].DefaultDomain;
        }
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            settings[key] = value;

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddCippGraph(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

/// <summary>One emulator (small and medium tenants) and one library instance per test class.</summary>
public class EmulatorFixture : IAsyncLifetime
{
    private ServiceProvider? services;

    public EmulatorHost Emulator { get; private set; } = null!;

    public IServiceProvider Services => services!;

    public static string Small => SeededTenants.ContosoDentalId;

    public static string Medium => SeededTenants.FabrikamLogisticsId;

    public EmulatedTenant SmallTenant => Emulator.State.Tenant(Small);

    public EmulatedTenant MediumTenant => Emulator.State.Tenant(Medium);

    protected virtual IDictionary<string, string?>? Overrides => null;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask InitializeAsync()
    {
        Emulator = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false });
        services = GraphTestHost.Create(Emulator, Overrides);
    }

    public async ValueTask DisposeAsync()
    {
        if (services is not null)
            await services.DisposeAsync();
        if (Emulator is not null)
            await Emulator.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
