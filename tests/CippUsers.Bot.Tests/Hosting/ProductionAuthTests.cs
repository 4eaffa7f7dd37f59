using System.Net;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Tests.Infrastructure;

namespace CippUsers.Bot.Tests.Hosting;

/// <summary>Production mode: every inbound Bot Framework JWT is validated against (test) Bot Framework metadata.</summary>
public sealed class ProductionAuthTests : IAsyncLifetime
{
    private const string AppId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    private TestTokenIssuer _issuer = null!;
    private BotHarness _bot = null!;

    public async ValueTask InitializeAsync()
    {
        _issuer = await TestTokenIssuer.StartAsync();
        _bot = await BotHarness.StartAsync(o =>
        {
            foreach (var (key, value) in _issuer.BotSettings(AppId, TestUsers.MspTenantId))
            {
                o.Settings[key] = value;
            }

        });
    }

    public async ValueTask DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task SignedToken_FromMspTenant_IsAccepted()
    {
        var result = await InvokeAsync(_issuer.CreateToken(AppId, ServiceUrl));

        await AssertStatusAsync(HttpStatusCode.OK, result);
        var body = JsonNode.Parse(await result.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task NoAuthorizationHeader_Is401()
        => await AssertStatusAsync(HttpStatusCode.Unauthorized, await InvokeAsync(token: null));

    [Fact]
    public async Task ForgedSignature_Is401()
        => await AssertStatusAsync(HttpStatusCode.Unauthorized, await InvokeAsync(_issuer.CreateForgedToken(AppId, ServiceUrl)));

    [Fact]
    public async Task UnsignedToken_Is401()
        => await AssertStatusAsync(HttpStatusCode.Unauthorized, await InvokeAsync(TestTokenIssuer.CreateUnsignedToken(AppId, ServiceUrl)));

    [Fact]
    public async Task ExpiredToken_BeyondClockSkew_Is401()
    {
        var token = _issuer.CreateToken(AppId, ServiceUrl, lifetime: TimeSpan.FromMinutes(30), now: TimeProvider.System.GetUtcNow().AddHours(-1));

        await AssertStatusAsync(HttpStatusCode.Unauthorized, await InvokeAsync(token));
    }

    [Fact]
    public async Task TokenForAnotherBot_Is401()
        => await AssertStatusAsync(HttpStatusCode.Unauthorized, await InvokeAsync(_issuer.CreateToken("9a9a9a9a-0000-0000-0000-000000000000", ServiceUrl)));

    [Fact]
    public async Task TokenFromAnotherIssuer_Is401()
        => await AssertStatusAsync(HttpStatusCode.Unauthorized, await InvokeAsync(_issuer.CreateToken(AppId, ServiceUrl, issuer: "https://evil.example")));

    [Fact]
    public async Task ServiceUrlClaimMismatch_Is401()
        => await AssertStatusAsync(HttpStatusCode.Unauthorized, await InvokeAsync(_issuer.CreateToken(AppId, "https://smba.trafficmanager.net/emea/")));

    [Fact]
    public async Task SignedToken_FromAnotherTenant_IsRefusedByTheBot()
    {
        var activity = InvokeActivity(tenantId: "0b1e9f5a-6c2d-4e3f-8a7b-9c0d1e2f3a41");

        using var response = await _bot.PostAsync(activity, _issuer.CreateToken(AppId, ServiceUrl));

        await AssertStatusAsync(HttpStatusCode.OK, response);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(403, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Healthz_ReportsProductionMode()
        => Assert.Contains("\"production\"", await _bot.Http.GetStringAsync("/healthz", TestContext.Current.CancellationToken));

    private string ServiceUrl => _bot.Connector.ServiceUrl.ToString();

    private JsonObject InvokeActivity(string? tenantId = null)
    {
        var activity = _bot.Activity("invoke", tenantId: tenantId);
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = CardVerbs.HelpShow, ["data"] = new JsonObject() } };
        return activity;
    }

    private static async Task AssertStatusAsync(HttpStatusCode expected, HttpResponseMessage response)
        => Assert.True(expected == response.StatusCode, $"Expected {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

    private Task<HttpResponseMessage> InvokeAsync(string? token) => _bot.PostAsync(InvokeActivity(), token);
}
