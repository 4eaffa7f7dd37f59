namespace CippUsers.TenantEmulator.Tests;

/// <summary>
/// signInActivity as Graph serves it (graph-endpoints.md §1.1, §12.1): only with $select, seeded with plausible values in
/// tenants with Entra ID P1 (Fabrikam Logistics has Business Premium), and a 403 in Contoso Dental, which has no P1.
/// </summary>
public sealed class SignInActivityTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Premium = SeededTenants.FabrikamLogisticsId;
    private const string NoPremium = SeededTenants.ContosoDentalId;

    [Fact]
    public async Task SelectedOnAUser_InAPremiumTenant_ReturnsTheSeededActivity()
    {
        using var client = new GraphTestClient(fixture.Host);
        var member = fixture.Host.State.Tenant(Premium).Users().First(u => (string?)u["userType"] == "Member" && u["signInActivity"] is not null && (bool)u["accountEnabled"]!);

        var answer = await client.GetAsync(Premium, $"users/{member["id"]}?$select=id,signInActivity");

        Assert.Equal(200, answer.Status);
        JsonShape.Matches("""
            {"id":"x","signInActivity":{"lastSignInDateTime":"x","lastSignInRequestId":"x","lastNonInteractiveSignInDateTime":"x",
             "lastNonInteractiveSignInRequestId":"x","lastSuccessfulSignInDateTime":"x","lastSuccessfulSignInRequestId":"x"}}
            """, answer.Json);
        Assert.Equal((string?)member["signInActivity"]!["lastSignInDateTime"], (string?)answer.Json!["signInActivity"]!["lastSignInDateTime"]);
    }

    [Fact]
    public async Task NotReturnedWithoutSelect()
    {
        using var client = new GraphTestClient(fixture.Host);
        var member = fixture.Host.State.Tenant(Premium).Users().First(u => u["signInActivity"] is not null);

        var single = await client.GetAsync(Premium, $"users/{member["id"]}");
        var list = await client.GetAsync(Premium, "users?$select=id,displayName&$top=5");

        Assert.Equal(200, single.Status);
        Assert.False(single.Json!.AsObject().ContainsKey("signInActivity"));
        Assert.All(list.Value, u => Assert.False(u!.AsObject().ContainsKey("signInActivity")));
    }

    [Fact]
    public async Task SeededActivity_IsPlausible_SomeNeverSignedIn_DisabledUsersLongAgo()
    {
        var users = fixture.Host.State.Tenant(Premium).Users();
        var withActivity = users.Where(u => u["signInActivity"] is not null).ToList();

        Assert.InRange(withActivity.Count, users.Count * 7 / 10, users.Count - 1);
        Assert.Contains(users, u => u["signInActivity"] is null);
        static DateTimeOffset Last(System.Text.Json.Nodes.JsonObject u) => DateTimeOffset.Parse((string)u["signInActivity"]!["lastSignInDateTime"]!, System.Globalization.CultureInfo.InvariantCulture);
        var enabled = withActivity.Where(u => (bool)u["accountEnabled"]!).Select(Last).ToList();
        var disabled = withActivity.Where(u => !(bool)u["accountEnabled"]!).Select(Last).ToList();
        Assert.NotEmpty(disabled);
        Assert.True(disabled.Max() < enabled.Min(), "disabled accounts last signed in before every enabled one");
    }

    [Theory]
    [InlineData("users/{id}?$select=id,signInActivity")]
    [InlineData("users?$select=id,displayName,signInActivity&$top=10")]
    public async Task SelectedInATenantWithoutP1_Is403_NonPremiumTenant(string path)
    {
        using var client = new GraphTestClient(fixture.Host);
        var id = (string)fixture.Host.State.Tenant(NoPremium).Users()[1]["id"]!;

        var answer = await client.GetAsync(NoPremium, path.Replace("{id}", id, StringComparison.Ordinal));

        Assert.Equal(403, answer.Status);
        Assert.Equal("Authentication_RequestFromNonPremiumTenantOrB2CTenant", answer.ErrorCode);
        Assert.Contains("premium license", answer.ErrorMessage, StringComparison.Ordinal);

        // The same user without signInActivity reads fine: only that property is gated.
        var plain = await client.GetAsync(NoPremium, $"users/{id}?$select=id,displayName");
        Assert.Equal(200, plain.Status);
    }
}
