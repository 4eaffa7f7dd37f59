using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Time.Testing;

namespace CippUsers.TenantEmulator.Tests;

public sealed class TokenTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Contoso = SeededTenants.ContosoDentalId;
    private const string Fabrikam = SeededTenants.FabrikamLogisticsId;

    [Fact]
    public async Task ClientSecretCredential_GetsAToken_ThatGraphAcceptsForThatTenant()
    {
        var host = fixture.Host;
        var credential = new ClientSecretCredential(Fabrikam, host.ClientId, host.ClientSecret, new ClientSecretCredentialOptions
        {
            AuthorityHost = host.BaseUri,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(host.CreateTrustingHandler()),
        });

        var token = await credential.GetTokenAsync(new TokenRequestContext(["https://graph.microsoft.com/.default"]), TestContext.Current.CancellationToken);

        using var client = new GraphTestClient(host);
        var organization = await client.SendAsync(Fabrikam, HttpMethod.Get, "organization", token: token.Token);
        Assert.Equal(200, organization.Status);
        Assert.Equal(Fabrikam, (string?)organization.Value[0]!["id"]);
        Assert.Equal("Fabrikam Logistics", (string?)organization.Value[0]!["displayName"]);
    }

    [Fact]
    public async Task TokenEndpoint_RefusesWrongSecretUnknownClientAndUnknownTenant()
    {
        using var client = new GraphTestClient(fixture.Host);

        using var wrongSecret = await client.RequestTokenAsync(Contoso, fixture.Host.ClientId, "not-the-secret");
        using var wrongClient = await client.RequestTokenAsync(Contoso, Guid.NewGuid().ToString(), fixture.Host.ClientSecret);
        using var wrongTenant = await client.RequestTokenAsync(Guid.NewGuid().ToString(), fixture.Host.ClientId, fixture.Host.ClientSecret);

        Assert.Equal(401, (int)wrongSecret.StatusCode);
        Assert.Contains("invalid_client", await wrongSecret.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(400, (int)wrongClient.StatusCode);
        Assert.Equal(400, (int)wrongTenant.StatusCode);
        Assert.Contains("AADSTS90002", await wrongTenant.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiIxIn0.forged")]
    public async Task Graph_RefusesMissingOrBadTokens_WithGraphs401Body(string? token)
    {
        using var client = new GraphTestClient(fixture.Host);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("v1.0/users", UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("InvalidAuthenticationToken", (string?)body!["error"]!["code"]);
        JsonShape.Matches("""{"error":{"code":"x","message":"x","innerError":{"date":"x","request-id":"x","client-request-id":"x"}}}""", body);
    }

    [Fact]
    public async Task TokenFromAnotherEmulator_IsRefused()
    {
        await using var other = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false }, TestContext.Current.CancellationToken);
        using var otherClient = new GraphTestClient(other);
        var foreign = await otherClient.TokenAsync(Contoso);

        using var client = new GraphTestClient(fixture.Host);
        var answer = await client.SendAsync(Contoso, HttpMethod.Get, "users", token: foreign);

        Assert.Equal(401, answer.Status);
    }

    [Fact]
    public async Task ExpiredToken_IsRefused()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false, TimeProvider = time }, TestContext.Current.CancellationToken);
        using var client = new GraphTestClient(host);
        Assert.Equal(200, (await client.GetAsync(Contoso, "organization")).Status);

        time.Advance(TimeSpan.FromMinutes(61));
        var answer = await client.GetAsync(Contoso, "organization");

        Assert.Equal(401, answer.Status);
        Assert.Contains("expired", answer.ErrorMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EachTokenSeesOnlyItsOwnTenant()
    {
        using var client = new GraphTestClient(fixture.Host);

        var contoso = await client.GetAsync(Contoso, "users?$top=999&$select=userPrincipalName");
        var fabrikam = await client.GetAsync(Fabrikam, "users?$top=999&$select=userPrincipalName");

        Assert.Equal(SeededTenants.ContosoDentalUsers, contoso.Value.Count);
        Assert.Equal(SeededTenants.FabrikamLogisticsUsers, fabrikam.Value.Count);
        Assert.All(contoso.Value, u => Assert.Contains("contosodental", (string?)u!["userPrincipalName"], StringComparison.Ordinal));
    }
}
