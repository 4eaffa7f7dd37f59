using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Tests;

public sealed class QueryTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Tenant = SeededTenants.FabrikamLogisticsId;

    private EmulatedTenant State => fixture.Host.State.Tenant(Tenant);

    [Fact]
    public async Task Paging_FollowsNextLinks_ThroughEveryUser_KeepingQueryOptions()
    {
        using var client = new GraphTestClient(fixture.Host);
        var ids = new List<string>();
        string? next = "users?$top=40&$select=id,displayName";
        var pages = 0;
        while (next is not null)
        {
            var page = await client.GetAsync(Tenant, next);
            Assert.Equal(200, page.Status);
            ids.AddRange(page.Value.Select(u => (string)u!["id"]!));
            Assert.All(page.Value, u => Assert.Equal(["id", "displayName"], u!.AsObject().Select(p => p.Key)));
            next = (string?)page.Json!["@odata.nextLink"];
            if (next is not null)
            {
                Assert.StartsWith(fixture.Host.BaseUri.ToString(), next, StringComparison.Ordinal);
                Assert.Contains("$select=id,displayName", Uri.UnescapeDataString(next), StringComparison.Ordinal);
                Assert.Contains("$skiptoken=", next, StringComparison.Ordinal);
            }

            pages++;
        }

        Assert.Equal(SeededTenants.FabrikamLogisticsUsers, ids.Distinct().Count());
        Assert.Equal(8, pages);
    }

    [Fact]
    public async Task SignInActivity_NeedsAPremiumTenant_AndEveryListPropertyIsSelectable()
    {
        using var client = new GraphTestClient(fixture.Host);
        const string everything = "id,userPrincipalName,identities,imAddresses,onPremisesExtensionAttributes,authorizationInfo,licenseAssignmentStates,"
            + "provisionedPlans,securityIdentifier,signInSessionsValidFromDateTime,employeeOrgData,preferredDataLocation";

        var premium = await client.GetAsync(Tenant, $"users?$top=500&$select={everything},signInActivity");
        var basic = await client.GetAsync(SeededTenants.ContosoDentalId, "users?$top=500&$select=id,signInActivity");
        var basicWithout = await client.GetAsync(SeededTenants.ContosoDentalId, $"users?$top=999&$select={everything}");

        Assert.Equal(200, premium.Status);
        Assert.Equal(403, basic.Status);
        Assert.Equal("Authentication_RequestFromNonPremiumTenantOrB2CTenant", basic.ErrorCode);
        Assert.Equal(200, basicWithout.Status);
        var user = basicWithout.Value[0]!.AsObject();
        Assert.Equal(15, user["onPremisesExtensionAttributes"]!.AsObject().Count);
        Assert.Equal("userPrincipalName", (string)user["identities"]![0]!["signInType"]!);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1000")]
    [InlineData("x")]
    public async Task Top_OutsideOneTo999_IsRefused(string top)
    {
        using var client = new GraphTestClient(fixture.Host);
        var answer = await client.GetAsync(Tenant, $"users?$top={top}");

        Assert.Equal(400, answer.Status);
        Assert.Equal("Request_UnsupportedQuery", answer.ErrorCode);
    }

    [Fact]
    public async Task Filters_MatchTheTenantsData()
    {
        using var client = new GraphTestClient(fixture.Host);
        var users = State.Users();
        var sku = (string)State.SubscribedSkus()[0]["skuId"]!;

        var disabled = await client.GetAsync(Tenant, "users?$top=999&$filter=accountEnabled eq false&$select=id");
        var guests = await client.GetAsync(Tenant, "users?$top=999&$filter=userType eq 'Guest'&$select=id");
        var withSku = await client.GetAsync(Tenant, $"users?$top=999&$filter=assignedLicenses/any(x:x/skuId eq {sku})&$select=id");
        var startsWith = await client.GetAsync(Tenant, "users?$top=999&$filter=startswith(displayName,'a')&$select=displayName");
        var first = users[0];
        var byUpnIn = await client.GetAsync(Tenant, $"users?$filter=userPrincipalName in ('{first["userPrincipalName"]}', 'nobody@x.com')&$select=id");
        var synced = await client.GetAsync(Tenant, "users?$top=999&$filter=onPremisesSyncEnabled eq true and accountEnabled eq true&$select=id,onPremisesImmutableId");

        Assert.Equal(users.Count(u => !(bool)u["accountEnabled"]!), disabled.Value.Count);
        Assert.True(disabled.Value.Count > 0);
        Assert.Equal(users.Count(u => (string?)u["userType"] == "Guest"), guests.Value.Count);
        Assert.True(guests.Value.Count > 0);
        Assert.Equal(users.Count(u => u["assignedLicenses"]!.AsArray().Any(l => (string?)l!["skuId"] == sku)), withSku.Value.Count);
        Assert.NotEmpty(startsWith.Value);
        Assert.All(startsWith.Value, u => Assert.StartsWith("a", (string?)u!["displayName"], StringComparison.OrdinalIgnoreCase));
        Assert.Equal((string?)first["id"], (string?)Assert.Single(byUpnIn.Value)!["id"]);
        Assert.NotEmpty(synced.Value);
        Assert.All(synced.Value, u => Assert.False(string.IsNullOrEmpty((string?)u!["onPremisesImmutableId"])));
    }

    [Fact]
    public async Task AdvancedOperators_NeedConsistencyLevelAndCount()
    {
        using var client = new GraphTestClient(fixture.Host);

        var plain = await client.GetAsync(Tenant, "users?$filter=userType ne 'Guest'");
        var advanced = await client.GetAsync(Tenant, "users?$filter=userType ne 'Guest'&$count=true&$top=5", eventual: true);
        var noLicences = await client.GetAsync(Tenant, "users?$filter=assignedLicenses/$count eq 0&$count=true&$top=999&$select=id", eventual: true);
        var endsWith = await client.GetAsync(Tenant, $"users?$filter=endswith(userPrincipalName,'{SeededTenants.FabrikamLogisticsDomain}')&$count=true&$top=1", eventual: true);

        Assert.Equal(400, plain.Status);
        Assert.Equal("Request_UnsupportedQuery", plain.ErrorCode);
        Assert.Contains("ConsistencyLevel:eventual", plain.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(200, advanced.Status);
        Assert.Equal(State.Users().Count(u => (string?)u["userType"] != "Guest"), (int)advanced.Json!["@odata.count"]!);
        Assert.Equal(State.Users().Count(u => u["assignedLicenses"]!.AsArray().Count == 0), noLicences.Value.Count);
        Assert.Equal(200, endsWith.Status);
    }

    [Fact]
    public async Task UnindexedFilterProperty_IsRefused()
    {
        using var client = new GraphTestClient(fixture.Host);
        var answer = await client.GetAsync(Tenant, "users?$filter=streetAddress eq 'x'");

        Assert.Equal(400, answer.Status);
        Assert.Equal("Request_UnsupportedQuery", answer.ErrorCode);
    }

    [Fact]
    public async Task Search_NeedsConsistencyLevel_AndMatchesWordPrefixes()
    {
        using var client = new GraphTestClient(fixture.Host);
        var target = State.Users()[5];
        var surname = (string)target["surname"]!;

        var refused = await client.GetAsync(Tenant, $"users?$search=\"displayName:{surname}\"");
        var found = await client.GetAsync(Tenant, $"users?$search=\"displayName:{surname[..3]}\" OR \"mail:zzzz\"&$top=999&$select=id,displayName", eventual: true);

        Assert.Equal(400, refused.Status);
        Assert.Equal("Request_UnsupportedQuery", refused.ErrorCode);
        Assert.Equal(200, found.Status);
        Assert.Contains(found.Value, u => (string?)u!["id"] == (string?)target["id"]);
        Assert.All(found.Value, u => Assert.Contains(((string)u!["displayName"]!).Split(' ', '-', '\''), w => w.StartsWith(surname[..3], StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Count_IsPlainText_AndNeedsConsistencyLevel()
    {
        using var client = new GraphTestClient(fixture.Host);

        var refused = await client.GetAsync(Tenant, "users/$count");
        var counted = await client.GetAsync(Tenant, "users/$count", eventual: true);
        var withoutHeader = await client.GetAsync(Tenant, "users?$count=true&$top=1");

        Assert.Equal(400, refused.Status);
        Assert.Equal("text/plain", counted.MediaType);
        Assert.Equal(SeededTenants.FabrikamLogisticsUsers.ToString(System.Globalization.CultureInfo.InvariantCulture), counted.Text);
        Assert.Null(withoutHeader.Json!["@odata.count"]);
    }

    [Fact]
    public async Task OrderBy_DisplayNameDescending()
    {
        using var client = new GraphTestClient(fixture.Host);
        var answer = await client.GetAsync(Tenant, "users?$orderby=displayName desc&$top=50&$select=displayName");

        var names = answer.Value.Select(u => (string)u!["displayName"]!).ToList();
        Assert.Equal(names.OrderByDescending(n => n, StringComparer.OrdinalIgnoreCase), names);
    }

    [Fact]
    public async Task Select_UnknownProperty_Is400_AndSingleUserOnlyProperty_Is501OnLists()
    {
        using var client = new GraphTestClient(fixture.Host);

        var unknown = await client.GetAsync(Tenant, "users?$select=id,shoeSize");
        var singleOnly = await client.GetAsync(Tenant, "users?$select=id,birthday");
        var selected = await client.GetAsync(Tenant, "users?$top=1&$select=id,accountEnabled,assignedLicenses,usageLocation,onPremisesSyncEnabled");

        Assert.Equal(400, unknown.Status);
        Assert.Equal(501, singleOnly.Status);
        JsonShape.Matches("""{"value":[{"id":"x","accountEnabled":true,"assignedLicenses":[{"skuId":"x","disabledPlans":[]}]}]}""", selected.Json);
    }

    [Fact]
    public void Seeding_IsDeterministic_ForTheSameSeed()
    {
        var settings = new EmulatorSettings { IncludeLargeTenant = false };
        var first = fixture.Host.State.Tenant(SeededTenants.ContosoDentalId).Users();
        var tenantInfo = fixture.Host.Tenants.Single(t => t.TenantId == SeededTenants.ContosoDentalId);

        Assert.Equal(settings.Seed, new EmulatorSettings().Seed);
        Assert.Equal(SeededTenants.ContosoDentalUsers, first.Count);
        Assert.Equal(SeededTenants.ContosoDentalDomain, tenantInfo.DefaultDomain);
        Assert.Contains(first, u => (string?)u["userType"] == "Guest" && ((string)u["userPrincipalName"]!).Contains("#EXT#", StringComparison.Ordinal));
        Assert.Contains(first, u => u["usageLocation"] is null);
    }

    [Fact]
    public async Task TwoEmulators_WithTheSameSeed_HaveTheSameUsers()
    {
        await using var other = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false }, TestContext.Current.CancellationToken);

        var mine = fixture.Host.State.Tenant(SeededTenants.ContosoDentalId).Users().Select(u => ((string?)u["id"], (string?)u["userPrincipalName"]));
        var theirs = other.State.Tenant(SeededTenants.ContosoDentalId).Users().Select(u => ((string?)u["id"], (string?)u["userPrincipalName"]));

        Assert.Equal(mine, theirs);
    }

    [Fact]
    public async Task UpnWithHash_IsAddressable_Encoded()
    {
        using var client = new GraphTestClient(fixture.Host);
        var guest = State.Users().First(u => (string?)u["userType"] == "Guest");
        var upn = (string)guest["userPrincipalName"]!;

        var answer = await client.GetAsync(Tenant, $"users/{Uri.EscapeDataString(upn)}");
        var keyForm = await client.GetAsync(Tenant, $"users('{Uri.EscapeDataString(upn)}')");

        Assert.Equal((string?)guest["id"], (string?)answer.Json!["id"]);
        Assert.Equal((string?)guest["id"], (string?)keyForm.Json!["id"]);
        Assert.Equal(JsonValue.Create(upn)!.ToJsonString(), answer.Json!["userPrincipalName"]!.ToJsonString());
    }
}
