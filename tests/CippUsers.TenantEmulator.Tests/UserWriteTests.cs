using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Tests;

public sealed class UserWriteTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Tenant = SeededTenants.ContosoDentalId;
    private const string Domain = SeededTenants.ContosoDentalDomain;

    private EmulatedTenant State => fixture.Host.State.Tenant(Tenant);

    private static JsonObject NewUser(string nickname, string? domain = null, string password = "Str0ng!Passw0rd") => new()
    {
        ["accountEnabled"] = true,
        ["displayName"] = $"Test {nickname}",
        ["mailNickname"] = nickname,
        ["userPrincipalName"] = $"{nickname}@{domain ?? Domain}",
        ["usageLocation"] = "GB",
        ["passwordProfile"] = new JsonObject { ["password"] = password, ["forceChangePasswordNextSignIn"] = true },
    };

    [Fact]
    public async Task Create_Returns201WithDefaultProperties_AndStoresTheUser_WithoutThePassword()
    {
        using var client = new GraphTestClient(fixture.Host);
        var answer = await client.PostAsync(Tenant, "users", NewUser("ann.create"));

        Assert.Equal(201, answer.Status);
        JsonShape.Matches("""{"id":"x","displayName":"x","userPrincipalName":"x","businessPhones":[],"givenName":null,"mail":null}""", answer.Json);
        var stored = State.FindUser($"ann.create@{Domain}");
        Assert.NotNull(stored);
        Assert.Equal("GB", (string?)stored["usageLocation"]);
        Assert.DoesNotContain("Str0ng!Passw0rd", stored.ToJsonString(), StringComparison.Ordinal);
        Assert.NotNull(State.PasswordChangedAt($"ann.create@{Domain}"));
    }

    [Fact]
    public async Task Create_And_Patch_AcceptODataTypeAnnotations_AsTheGraphSdkSendsThem()
    {
        using var client = new GraphTestClient(fixture.Host);
        var body = NewUser("sdk.annotated");
        body["@odata.type"] = "#microsoft.graph.user";

        var created = await client.PostAsync(Tenant, "users", body);
        var patched = await client.PatchAsync(Tenant, $"users/{created.Json!["id"]}", new JsonObject { ["@odata.type"] = "#microsoft.graph.user", ["jobTitle"] = "Dentist" });

        Assert.Equal(201, created.Status);
        Assert.Equal(204, patched.Status);
        Assert.Null(State.FindUser($"sdk.annotated@{Domain}")!["@odata.type"]);
        Assert.Equal("Dentist", (string?)State.FindUser($"sdk.annotated@{Domain}")!["jobTitle"]);
    }

    [Theory]
    [InlineData("accountEnabled", "PropertyRequired")]
    [InlineData("displayName", "PropertyRequired")]
    [InlineData("mailNickname", "PropertyRequired")]
    [InlineData("passwordProfile", "PropertyRequired")]
    public async Task Create_WithoutARequiredProperty_Is400(string property, string detailCode)
    {
        using var client = new GraphTestClient(fixture.Host);
        var body = NewUser($"missing.{property.ToLowerInvariant()}");
        body.Remove(property);

        var answer = await client.PostAsync(Tenant, "users", body);

        Assert.Equal(400, answer.Status);
        Assert.Equal("Request_BadRequest", answer.ErrorCode);
        Assert.Equal(detailCode, (string?)answer.Json!["error"]!["details"]![0]!["code"]);
        Assert.Null(State.FindUser($"missing.{property.ToLowerInvariant()}@{Domain}"));
    }

    [Fact]
    public async Task Create_RefusesUnverifiedDomain_BadNickname_WeakPassword_AndFederatedWithoutImmutableId()
    {
        using var client = new GraphTestClient(fixture.Host);
        var badNickname = NewUser("bad.nick");
        badNickname["mailNickname"] = "bad nick(1)";

        var unverified = await client.PostAsync(Tenant, "users", NewUser("someone", "contosodental.co.uk"));
        var nickname = await client.PostAsync(Tenant, "users", badNickname);
        var weak = await client.PostAsync(Tenant, "users", NewUser("weak.password", password: "password"));
        var accented = await client.PostAsync(Tenant, "users", NewUser("zoë"));

        Assert.Equal(400, unverified.Status);
        Assert.Contains("verified domain", unverified.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(400, nickname.Status);
        Assert.Contains("mailNickname", nickname.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(400, weak.Status);
        Assert.Contains("password complexity", weak.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(400, accented.Status);
    }

    [Fact]
    public async Task Create_RefusesAnExistingUpnOrProxyAddress_WithObjectConflict()
    {
        using var client = new GraphTestClient(fixture.Host);
        var existing = State.Users().First(u => (string?)u["userType"] == "Member");
        var duplicate = NewUser((string)existing["mailNickname"]!);
        var proxyNickname = ((string)existing["proxyAddresses"]![1]!)[5..].Split('@')[0];
        var proxyClash = NewUser(proxyNickname, SeededTenants.ContosoDentalInitialDomain);

        var upnAnswer = await client.PostAsync(Tenant, "users", duplicate);
        var proxyAnswer = await client.PostAsync(Tenant, "users", proxyClash);

        Assert.Equal(400, upnAnswer.Status);
        Assert.Equal("ObjectConflict", (string?)upnAnswer.Json!["error"]!["details"]![0]!["code"]);
        Assert.Equal("userPrincipalName", (string?)upnAnswer.Json!["error"]!["details"]![0]!["target"]);
        Assert.Equal(400, proxyAnswer.Status);
        Assert.Equal("proxyAddresses", (string?)proxyAnswer.Json!["error"]!["details"]![0]!["target"]);
    }

    [Fact]
    public async Task Patch_ChangesOnlyTheSentProperties_AndRefusesOnPremisesMasteredOnes()
    {
        using var client = new GraphTestClient(fixture.Host);
        var created = await client.PostAsync(Tenant, "users", NewUser("pat.patch"));
        var id = (string)created.Json!["id"]!;

        var patched = await client.PatchAsync(Tenant, $"users/{id}", new JsonObject { ["jobTitle"] = "Hygienist", ["accountEnabled"] = false });
        var clearDisplayName = await client.PatchAsync(Tenant, $"users/{id}", new JsonObject { ["displayName"] = null });
        var password = await client.PatchAsync(Tenant, $"users/{id}", new JsonObject { ["passwordProfile"] = new JsonObject { ["password"] = "weak" } });

        Assert.Equal(204, patched.Status);
        Assert.Equal("", patched.Text);
        var stored = State.FindUser(id)!;
        Assert.Equal("Hygienist", (string?)stored["jobTitle"]);
        Assert.False((bool)stored["accountEnabled"]!);
        Assert.Equal("Test pat.patch", (string?)stored["displayName"]);
        Assert.Equal(400, clearDisplayName.Status);
        Assert.Equal(400, password.Status);

        await using var hybrid = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false }, TestContext.Current.CancellationToken);
        using var hybridClient = new GraphTestClient(hybrid);
        var synced = hybrid.State.Tenant(SeededTenants.FabrikamLogisticsId).Users().First(u => (bool?)u["onPremisesSyncEnabled"] == true);
        var refused = await hybridClient.PatchAsync(SeededTenants.FabrikamLogisticsId, $"users/{synced["id"]}", new JsonObject { ["displayName"] = "Renamed" });
        var allowed = await hybridClient.PatchAsync(SeededTenants.FabrikamLogisticsId, $"users/{synced["id"]}", new JsonObject { ["usageLocation"] = "FR" });
        Assert.Equal(400, refused.Status);
        Assert.Contains("on-premises mastered", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(204, allowed.Status);
    }

    [Fact]
    public async Task Delete_SoftDeletes_ThenRestoreBringsBackUserAndMemberships()
    {
        using var client = new GraphTestClient(fixture.Host);
        var victim = State.Users().First(u => (string?)u["userType"] == "Member" && State.Groups().Any(g => State.GroupMemberIds((string)g["id"]!).Contains((string)u["id"]!)) && (string?)u["displayName"] != null && u != State.Users()[0]);
        var id = (string)victim["id"]!;
        var groupsBefore = State.Groups().Count(g => State.GroupMemberIds((string)g["id"]!).Contains(id));

        var deleted = await client.DeleteAsync(Tenant, $"users/{id}");
        var gone = await client.GetAsync(Tenant, $"users/{id}");
        var clash = await client.PostAsync(Tenant, "users", NewUser((string)victim["mailNickname"]!));
        var restored = await client.PostAsync(Tenant, $"directory/deletedItems/{id}/restore", new JsonObject());

        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, gone.Status);
        Assert.Equal(400, clash.Status);
        Assert.Equal(200, restored.Status);
        Assert.Equal("#microsoft.graph.user", (string?)restored.Json!["@odata.type"]);
        Assert.Equal(200, (await client.GetAsync(Tenant, $"users/{id}")).Status);
        Assert.Equal(groupsBefore, State.Groups().Count(g => State.GroupMemberIds((string)g["id"]!).Contains(id)));
    }

    [Fact]
    public async Task Manager_PutGetDelete_AndNoManagerIs404()
    {
        using var client = new GraphTestClient(fixture.Host);
        var worker = (string)(await client.PostAsync(Tenant, "users", NewUser("mo.report"))).Json!["id"]!;
        var boss = (string)State.Users()[0]["id"]!;

        var none = await client.GetAsync(Tenant, $"users/{worker}/manager");
        var put = await client.SendAsync(Tenant, HttpMethod.Put, $"users/{worker}/manager/$ref", new JsonObject { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/users/{boss}" });
        var got = await client.GetAsync(Tenant, $"users/{worker}/manager?$select=id,displayName");
        var unknown = await client.SendAsync(Tenant, HttpMethod.Put, $"users/{worker}/manager/$ref", new JsonObject { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/directoryObjects/{Guid.NewGuid()}" });
        var removed = await client.DeleteAsync(Tenant, $"users/{worker}/manager/$ref");

        Assert.Equal(404, none.Status);
        Assert.Contains("'manager'", none.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(204, put.Status);
        Assert.Equal(boss, (string?)got.Json!["id"]);
        Assert.Equal("#microsoft.graph.user", (string?)got.Json!["@odata.type"]);
        Assert.Equal(404, unknown.Status);
        Assert.Equal(204, removed.Status);
        Assert.Null(State.ManagerIdOf(worker));
    }

    [Fact]
    public async Task RevokeSessions_AndTemporaryAccessPass_ReturnDocumentedShapes_AndTheCodeIsNotStored()
    {
        using var client = new GraphTestClient(fixture.Host);
        var id = (string)State.Users()[3]["id"]!;

        var revoked = await client.PostAsync(Tenant, $"users/{id}/revokeSignInSessions", new JsonObject());
        var tap = await client.PostAsync(Tenant, $"users/{id}/authentication/temporaryAccessPassMethods", new JsonObject { ["lifetimeInMinutes"] = 60, ["isUsableOnce"] = true });
        var tooLong = await client.PostAsync(Tenant, $"users/{id}/authentication/temporaryAccessPassMethods", new JsonObject { ["lifetimeInMinutes"] = 50000 });

        Assert.Equal(200, revoked.Status);
        Assert.True((bool)revoked.Json!["value"]!);
        Assert.NotNull(State.SessionsRevokedAt(id));
        Assert.Equal(201, tap.Status);
        JsonShape.Matches("""
            {"@odata.type":"#microsoft.graph.temporaryAccessPassAuthenticationMethod","id":"7777",
             "temporaryAccessPass":"Xy3#pQ9k","createdDateTime":"2026-01-05T09:00:00Z","startDateTime":"2026-01-05T09:00:00Z",
             "lifetimeInMinutes":60,"isUsableOnce":true,"isUsable":true,"methodUsabilityReason":"EnabledByPolicy"}
            """, tap.Json);
        var code = (string)tap.Json!["temporaryAccessPass"]!;
        Assert.DoesNotContain(code, string.Concat(State.AuthenticationMethods(id).Select(m => m.ToJsonString())), StringComparison.Ordinal);
        Assert.Equal(400, tooLong.Status);
    }
}
