using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CippUsers.Graph.Tests.Unit;

public class OptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddCippGraph(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Graph:Partner:ClientId"] = "app",
        ["Graph:Partner:ClientSecret"] = "s",
        ["Graph:Tenants:0:TenantId"] = "11111111-1111-1111-1111-111111111111",
        ["Graph:Tenants:0:DisplayName"] = "Contoso Dental",
        ["Graph:Tenants:0:DefaultDomain"] = "contosodental.com",
        ["Graph:Tenants:1:TenantId"] = "22222222-2222-2222-2222-222222222222",
        ["Graph:Tenants:1:DisplayName"] = "Fabrikam",
        ["Graph:Tenants:1:DefaultDomain"] = "fabrikam.com",
    };

    [Fact]
    public void AddCippGraph_ValidSettings_Binds()
    {
        using var sp = Build(Valid());

        var options = sp.GetRequiredService<IOptions<GraphOptions>>().Value;

        Assert.Equal(2, options.Tenants.Count);
        Assert.Equal(3000, options.WriteBudget.Writes);
        Assert.Equal(150, options.WriteBudget.PerSeconds);
    }

    [Fact]
    public void AddCippGraph_NoCredential_FailsValidation()
    {
        var settings = Valid();
        settings.Remove("Graph:Partner:ClientSecret");
        using var sp = Build(settings);

        var error = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<GraphOptions>>().Value);
        Assert.Contains("no app of its own", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCippGraph_DuplicateTenant_FailsValidation()
    {
        var settings = Valid();
        settings["Graph:Tenants:1:TenantId"] = "11111111-1111-1111-1111-111111111111";
        using var sp = Build(settings);

        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<GraphOptions>>().Value);
    }

    [Fact]
    public void AddCippGraph_ZeroWriteBudget_FailsValidation()
    {
        var settings = Valid();
        settings["Graph:WriteBudget:Writes"] = "0";
        using var sp = Build(settings);

        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<GraphOptions>>().Value);
    }

    [Theory]
    [InlineData("contoso dental", "11111111-1111-1111-1111-111111111111")]
    [InlineData("FABRIKAM.COM", "22222222-2222-2222-2222-222222222222")]
    [InlineData("22222222-2222-2222-2222-222222222222", "22222222-2222-2222-2222-222222222222")]
    public void CustomerTenants_Find_ByNameDomainOrId(string text, string expectedId)
    {
        using var sp = Build(Valid());

        Assert.Equal(expectedId, sp.GetRequiredService<CustomerTenants>().Find(text)?.TenantId);
    }

    [Fact]
    public void CustomerTenants_Find_Unknown_IsNull()
    {
        using var sp = Build(Valid());

        Assert.Null(sp.GetRequiredService<CustomerTenants>().Find("woodgrove"));
    }
}
