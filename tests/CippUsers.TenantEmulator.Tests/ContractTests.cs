namespace CippUsers.TenantEmulator.Tests;

/// <summary>
/// Each route's answer has the keys and JSON types of the example in Graph's documentation
/// (examples copied from the shared graph-endpoints reference), so the emulator cannot drift into a dialect.
/// </summary>
public sealed class ContractTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Tenant = SeededTenants.FabrikamLogisticsId;

    private const string UserList = """
        {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users",
         "@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$top=1&$skiptoken=X",
         "value":[{"id":"11111111-1111-1111-1111-111111111111","displayName":"Ann Example",
                   "userPrincipalName":"ann@contoso.com","mail":"ann@contoso.com","businessPhones":[],
                   "givenName":"Ann","surname":"Example","jobTitle":null,"mobilePhone":null,
                   "officeLocation":null,"preferredLanguage":null}]}
        """;

    private const string MemberOf = """
        {"value":[{"@odata.type":"#microsoft.graph.group","id":"2222","displayName":"All Staff",
                   "mailEnabled":false,"securityEnabled":true,"groupTypes":[]},
                  {"@odata.type":"#microsoft.graph.directoryRole","id":"3333","displayName":"User Administrator",
                   "roleTemplateId":"fe930be7-5e62-47db-91af-98c3a49a38b1"}]}
        """;

    private const string SubscribedSkus = """
        {"value":[{"id":"x","accountId":"x","accountName":"x","appliesTo":"User","capabilityStatus":"Enabled","consumedUnits":1,
                   "prepaidUnits":{"enabled":1,"suspended":0,"warning":0,"lockedOut":0},
                   "servicePlans":[{"servicePlanId":"x","servicePlanName":"x","provisioningStatus":"Success","appliesTo":"User"}],
                   "skuId":"x","skuPartNumber":"SPE_E3","subscriptionIds":["x"]}]}
        """;

    private const string Domains = """
        {"value":[{"id":"contoso.com","authenticationType":"Managed","isDefault":true,"isInitial":false,
                   "isVerified":true,"supportedServices":["Email","OfficeCommunicationsOnline"]}]}
        """;

    private const string Organization = """
        {"value":[{"id":"x","displayName":"x","verifiedDomains":[{"name":"x","isDefault":true,"isInitial":false,"type":"Managed","capabilities":"x"}]}]}
        """;

    private const string LicenseDetails = """
        {"value":[{"id":"x","skuId":"x","skuPartNumber":"x","servicePlans":[{"servicePlanId":"x","servicePlanName":"x","provisioningStatus":"x","appliesTo":"x"}]}]}
        """;

    private const string AuthenticationMethods = """
        {"value":[{"@odata.type":"#microsoft.graph.passwordAuthenticationMethod","id":"28c10230-6103-485e-b985-444c60001490"},
                  {"@odata.type":"#microsoft.graph.phoneAuthenticationMethod","id":"3179e48a-750b-4051-897c-87b9720928f7",
                   "phoneNumber":"+44 7700900000","phoneType":"mobile","smsSignInState":"notSupported"}]}
        """;

    private const string NotFound = """
        {"error":{"code":"Request_ResourceNotFound",
         "message":"Resource '11111111-1111-1111-1111-111111111111' does not exist or one of its queried reference-property objects are not present.",
         "innerError":{"date":"2026-01-05T09:00:00","request-id":"dddd","client-request-id":"dddd"}}}
        """;

    private const string Group = """
        {"id":"x","displayName":"x","description":"x","groupTypes":["Unified"],"mail":"x","mailEnabled":true,"mailNickname":"x",
         "securityEnabled":false,"createdDateTime":"x","proxyAddresses":["x"],"visibility":"Private"}
        """;

    [Fact]
    public async Task UserList_HasDocumentedShape_AndDefaultPropertiesOnly()
    {
        using var client = new GraphTestClient(fixture.Host);
        var answer = await client.GetAsync(Tenant, "users?$top=1");

        Assert.Equal(200, answer.Status);
        JsonShape.Matches(UserList, answer.Json);
        Assert.DoesNotContain("accountEnabled", answer.Value[0]!.AsObject().Select(p => p.Key));
        Assert.EndsWith("$metadata#users", (string?)answer.Json!["@odata.context"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SingleUser_ByIdAndByUpn_HasDocumentedShape()
    {
        using var client = new GraphTestClient(fixture.Host);
        var first = (await client.GetAsync(Tenant, "users?$top=1&$select=id,userPrincipalName")).Value[0]!;

        var byId = await client.GetAsync(Tenant, $"users/{first["id"]}");
        var byUpn = await client.GetAsync(Tenant, $"users/{first["userPrincipalName"]}");

        JsonShape.Matches("""{"id":"x","displayName":"x","userPrincipalName":"x","businessPhones":[],"givenName":"x","surname":"x"}""", byId.Json);
        Assert.Equal((string?)byId.Json!["id"], (string?)byUpn.Json!["id"]);
    }

    [Fact]
    public async Task MissingUser_Is404_WithDocumentedErrorEnvelope()
    {
        using var client = new GraphTestClient(fixture.Host);
        var answer = await client.GetAsync(Tenant, $"users/{Guid.NewGuid()}");

        Assert.Equal(404, answer.Status);
        JsonShape.Matches(NotFound, answer.Json);
        Assert.Equal("Request_ResourceNotFound", answer.ErrorCode);
        Assert.Equal((string?)answer.Json!["error"]!["innerError"]!["request-id"], answer.Headers["request-id"]);
    }

    [Fact]
    public async Task MemberOf_HasGroupsAndRolesWithODataType()
    {
        using var client = new GraphTestClient(fixture.Host);
        var admin = fixture.Host.State.Tenant(Tenant).Users()[1];

        var answer = await client.GetAsync(Tenant, $"users/{admin["id"]}/memberOf");

        Assert.Equal(200, answer.Status);
        JsonShape.Matches(MemberOf, answer.Json);
        Assert.Contains(answer.Value, v => (string?)v!["@odata.type"] == "#microsoft.graph.directoryRole");
        Assert.Contains(answer.Value, v => (string?)v!["@odata.type"] == "#microsoft.graph.group");
    }

    [Fact]
    public async Task SubscribedSkus_Domains_Organization_HaveDocumentedShapes()
    {
        using var client = new GraphTestClient(fixture.Host);

        var skus = await client.GetAsync(Tenant, "subscribedSkus");
        var domains = await client.GetAsync(Tenant, "domains");
        var organization = await client.GetAsync(Tenant, "organization");
        var domain = await client.GetAsync(Tenant, $"domains/{SeededTenants.FabrikamLogisticsDomain}");

        JsonShape.Matches(SubscribedSkus, skus.Json);
        JsonShape.Matches(Domains, domains.Json);
        JsonShape.Matches(Organization, organization.Json);
        Assert.Single(organization.Value);
        Assert.Equal("Managed", (string?)domain.Json!["authenticationType"]);
        Assert.Contains(domains.Value, d => (bool)d!["isVerified"]! == false);
        Assert.Contains(domains.Value, d => (bool)d!["isInitial"]! && ((string)d!["id"]!).EndsWith(".onmicrosoft.com", StringComparison.Ordinal));
        Assert.Contains(skus.Value, s => (int)s!["prepaidUnits"]!["enabled"]! - (int)s!["consumedUnits"]! == 0);
    }

    [Fact]
    public async Task LicenseDetails_AndAuthenticationMethods_HaveDocumentedShapes()
    {
        using var client = new GraphTestClient(fixture.Host);
        var licensed = fixture.Host.State.Tenant(Tenant).Users().First(u => u["assignedLicenses"]!.AsArray().Count > 0 && u["mobilePhone"] is not null
            && fixture.Host.State.Tenant(Tenant).AuthenticationMethods((string)u["id"]!).Count > 1);

        var details = await client.GetAsync(Tenant, $"users/{licensed["id"]}/licenseDetails");
        var methods = await client.GetAsync(Tenant, $"users/{licensed["id"]}/authentication/methods");

        JsonShape.Matches(LicenseDetails, details.Json);
        JsonShape.Matches(AuthenticationMethods, methods.Json);
        Assert.Equal((string?)licensed["assignedLicenses"]![0]!["skuId"], (string?)details.Value[0]!["skuId"]);
    }

    [Fact]
    public async Task Groups_HaveDocumentedShape_AndEveryKindIsSeeded()
    {
        using var client = new GraphTestClient(fixture.Host);
        var answer = await client.GetAsync(Tenant, "groups?$filter=groupTypes/any(c:c eq 'Unified')");
        var all = fixture.Host.State.Tenant(Tenant).Groups();

        JsonShape.Matches($$"""{"value":[{{Group}}]}""", answer.Json);
        Assert.All(answer.Value, g => Assert.Contains("Unified", g!["groupTypes"]!.AsArray().Select(t => (string?)t)));
        Assert.Contains(all, g => (bool)g["mailEnabled"]! && (bool)g["securityEnabled"]! && g["groupTypes"]!.AsArray().Count == 0);
        Assert.Contains(all, g => (bool)g["mailEnabled"]! && !(bool)g["securityEnabled"]! && g["groupTypes"]!.AsArray().Count == 0);
        Assert.Contains(all, g => g["groupTypes"]!.AsArray().Any(t => (string?)t == "DynamicMembership"));
        Assert.Contains(all, g => (bool?)g["onPremisesSyncEnabled"] == true);
    }

    [Fact]
    public async Task Beta_ServesTheSameRoutes()
    {
        using var client = new GraphTestClient(fixture.Host);
        var answer = await client.SendAsync(Tenant, HttpMethod.Get, $"{fixture.Host.BaseUri}beta/users?$top=2");

        Assert.Equal(200, answer.Status);
        Assert.Contains("/beta/$metadata#users", (string?)answer.Json!["@odata.context"], StringComparison.Ordinal);
    }
}
