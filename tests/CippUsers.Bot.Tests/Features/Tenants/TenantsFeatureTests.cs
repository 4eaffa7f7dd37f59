using CippUsers.Bot.Cards;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Bot.Tests.Features.Tenants;

public sealed class TenantsFeatureTests
{
    [Fact]
    public async Task Tenants_ListsConfiguredCustomerTenantsSortedByName()
    {
        await using var bot = await BotHarness.StartAsync(o =>
        {
            o.Tenants.Clear();
            o.Tenants.Add(("22222222-0000-0000-0000-000000000002", "Woodgrove Bank", "woodgrove.onmicrosoft.com"));
            o.Tenants.Add(("11111111-0000-0000-0000-000000000001", "Adatum Corp", "adatum.onmicrosoft.com"));
        });

        var reply = Assert.Single(await bot.SendAsync("tenants"));

        var text = reply.CardText;
        Assert.Contains("Customer tenants (2)", text);
        Assert.True(text.IndexOf("Adatum Corp", StringComparison.Ordinal) < text.IndexOf("Woodgrove Bank", StringComparison.Ordinal));
        Assert.Contains("adatum.onmicrosoft.com", text);
        Assert.Contains("22222222-0000-0000-0000-000000000002", text);
    }

    [Fact]
    public async Task Tenants_NoneConfigured_SaysSoInsteadOfEmptyCard()
    {
        await using var bot = await BotHarness.StartAsync(o => o.Tenants.Clear());

        var result = await bot.InvokeAsync(CardVerbs.TenantsShow);

        Assert.Contains("No customer tenants are configured", result.CardText);
    }
}

public sealed class TenantsInDemoModeTests
{
    [Fact]
    public async Task Tenants_InDemoMode_ListsTheInProcessEmulatorsTenants()
    {
        await using var bot = await BotHarness.StartAsync(o => o.UseEmulator = true);
        var emulator = bot.Services.GetRequiredService<EmulatorHost>();

        var reply = Assert.Single(await bot.SendAsync("tenants"));

        Assert.True(emulator.Tenants.Count >= 2);
        Assert.Contains($"Customer tenants ({emulator.Tenants.Count})", reply.CardText);
        Assert.All(emulator.Tenants, t => Assert.Contains(t.DefaultDomain, reply.CardText));
        Assert.Equal("127.0.0.1", emulator.BaseUri.Host);
    }
}
