using System.Net;
using CippUsers.Bot.Hosting;
using CippUsers.Bot.Teams;
using CippUsers.Bot.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Tests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public async Task DemoMode_ListensOnLoopbackOnly_AndServesHealthz()
    {
        await using var bot = await BotHarness.StartAsync();

        var addresses = bot.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Assert.All(addresses, a => Assert.StartsWith("http://127.0.0.1:", a));
        var health = await bot.Http.GetStringAsync("/healthz");
        Assert.Contains("\"demo\"", health);
    }

    [Fact]
    public async Task DemoMode_RefusesAnonymousTrafficFromOtherMachines()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        var called = false;

        var result = await DemoMode.LoopbackOnly(new TestFilterContext(context), _ =>
        {
            called = true;
            return ValueTask.FromResult<object?>(null);
        });

        Assert.False(called);
        var http = Assert.IsAssignableFrom<IResult>(result);
        await http.ExecuteAsync(WithServices(context));
        Assert.Equal(401, context.Response.StatusCode);
    }

    [Fact]
    public async Task DemoMode_LoopbackCaller_PassesWithTokenDropped()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.IPv6Loopback;
        context.Request.Headers.Authorization = "Bearer abc";
        var called = false;

        await DemoMode.LoopbackOnly(new TestFilterContext(context), _ =>
        {
            called = true;
            return ValueTask.FromResult<object?>(null);
        });

        Assert.True(called);
        Assert.Empty(context.Request.Headers.Authorization.ToString());
    }

    [Theory]
    [InlineData("MicrosoftAppTenantId", null, "MicrosoftAppTenantId")]
    [InlineData("MicrosoftAppPassword", null, "MicrosoftAppPassword or MicrosoftAppCertificateThumbprint")]
    [InlineData("MicrosoftAppId", "not-a-guid", "MicrosoftAppId must be")]
    [InlineData("MicrosoftAppType", "MultiTenant", "MicrosoftAppType must be")]
    public async Task ProductionMode_BadSetting_FailsAtStartNamingTheSetting(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            ["MicrosoftAppPassword"] = "secret",
            ["MicrosoftAppTenantId"] = TestUsers.MspTenantId,
            [key] = value,
        };

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => BotHarness.StartAsync(o =>
        {
            foreach (var (k, v) in settings)
            {
                o.Settings[k] = v;
            }
        }));

        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("secret", e.Message);
    }

    [Fact]
    public async Task DemoMode_PartialCredentials_FailsAtStart()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => BotHarness.StartAsync(o => o.Settings["MicrosoftAppPassword"] = "secret"));

        Assert.Contains("MicrosoftAppId is missing", e.Message);
    }

    [Fact]
    public async Task BotOptions_InvalidPort_FailsAtStart()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => BotHarness.StartAsync(o =>
        {
            o.Settings["MicrosoftAppId"] = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
            o.Settings["MicrosoftAppPassword"] = "secret";
            o.Settings["MicrosoftAppTenantId"] = TestUsers.MspTenantId;
            o.Settings["Bot:Port"] = "70000";
        }));

        Assert.Contains("Port", e.Message);
    }

    [Fact]
    public async Task DuplicateCommandAcrossFeatures_FailsAtStart()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => BotHarness.StartAsync(o =>
            o.ConfigureServices = s => s.AddFeature<DuplicateHelpFeature>()));

        Assert.Contains("'help' is registered twice", e.Message);
    }

    private static DefaultHttpContext WithServices(DefaultHttpContext context)
    {
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        context.RequestServices = services;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private sealed class DuplicateHelpFeature : IFeature
    {
        public void Map(BotRoutes routes) => routes.Command("help", "again", "help", (_, _, _) => Task.CompletedTask);
    }

    private sealed class TestFilterContext(HttpContext http) : EndpointFilterInvocationContext
    {
        public override HttpContext HttpContext => http;

        public override IList<object?> Arguments => [];

        public override T GetArgument<T>(int index) => throw new NotSupportedException();
    }
}
