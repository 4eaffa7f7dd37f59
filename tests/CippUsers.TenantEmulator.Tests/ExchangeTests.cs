using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Exchange;

namespace CippUsers.TenantEmulator.Tests;

/// <summary>Exchange Online's InvokeCommand as the emulator serves it: cmdlets, identities, paging, errors, tokens.</summary>
public sealed class ExchangeTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Contoso = SeededTenants.ContosoDentalId;
    private const string Fabrikam = SeededTenants.FabrikamLogisticsId;
    private const string ExchangeScope = "https://outlook.office365.com/.default";

    private EmulatorHost Host => fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TokenEndpoint_IssuesTheAudienceTheScopeAsksFor_AndRefusesUnknownResources()
    {
        using var client = new ExchangeClient(Host);
        var exchange = Payload(await client.TokenAsync(Contoso, ExchangeScope));
        var graph = Payload(await client.TokenAsync(Contoso, "https://graph.microsoft.com/.default"));
        Assert.Equal("https://outlook.office365.com", (string?)exchange["aud"]);
        Assert.Equal("https://graph.microsoft.com", (string?)graph["aud"]);

        using var unknown = await client.RequestTokenAsync(Contoso, "https://unknown.example.com/.default");
        Assert.Equal(400, (int)unknown.StatusCode);
        Assert.Contains("AADSTS500011", await unknown.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exchange_RefusesGraphTokens_AndGraph_RefusesExchangeTokens()
    {
        using var client = new ExchangeClient(Host);
        var graphToken = await client.TokenAsync(Contoso, "https://graph.microsoft.com/.default");
        var exchangeToken = await client.TokenAsync(Contoso, ExchangeScope);

        var withGraphToken = await client.InvokeAsync(Contoso, "Get-Mailbox", new JsonObject(), token: graphToken);
        var withoutToken = await client.InvokeAsync(Contoso, "Get-Mailbox", new JsonObject(), token: "");
        Assert.Equal(401, withGraphToken.Status);
        Assert.Equal(401, withoutToken.Status);
        Assert.Contains("invalid_token", withGraphToken.Headers["WWW-Authenticate"], StringComparison.Ordinal);

        using var graph = new GraphTestClient(Host);
        var users = await graph.SendAsync(Contoso, HttpMethod.Get, "users", token: exchangeToken);
        Assert.Equal(401, users.Status);
        Assert.Equal("InvalidAuthenticationToken", users.ErrorCode);

        var good = await client.InvokeAsync(Contoso, "Get-Mailbox", new JsonObject(), token: exchangeToken);
        Assert.Equal(200, good.Status);
    }

    [Fact]
    public async Task TenantInTheUrl_MayBeTheIdOrADomain_ButMustBeTheTokensTenant()
    {
        using var client = new ExchangeClient(Host);
        var info = Host.Tenants.Single(t => t.TenantId == Contoso);
        foreach (var form in new[] { Contoso, info.DefaultDomain, info.InitialDomain })
        {
            var answer = await client.InvokeAsync(form, "Get-Mailbox", new JsonObject(), tokenTenant: Contoso);
            Assert.Equal(200, answer.Status);
            Assert.NotEmpty(answer.Value);
        }

        var otherTenant = await client.InvokeAsync(Fabrikam, "Get-Mailbox", new JsonObject(), tokenTenant: Contoso);
        var unknown = await client.InvokeAsync("nobody.onmicrosoft.com", "Get-Mailbox", new JsonObject(), tokenTenant: Contoso);
        Assert.Equal(401, otherTenant.Status);
        Assert.Equal(404, unknown.Status);
    }

    [Fact]
    public async Task GetMailbox_FindsTheMailboxByUpnPrimarySmtpAliasObjectIdOrSecondaryAddress()
    {
        using var client = new ExchangeClient(Host);
        var user = LicensedUserMailbox(Contoso);
        var alias = (string)user["mailNickname"]!;
        var secondary = user["proxyAddresses"]!.AsArray().Select(p => (string)p!).First(p => p.StartsWith("smtp:", StringComparison.Ordinal))[5..];
        foreach (var identity in new[] { (string)user["userPrincipalName"]!, (string)user["mail"]!, alias, (string)user["id"]!, secondary })
        {
            var answer = await client.InvokeAsync(Contoso, "Get-Mailbox", new JsonObject { ["Identity"] = identity });
            Assert.Equal(200, answer.Status);
            var row = Assert.Single(answer.Value)!.AsObject();
            Assert.Equal((string)user["id"]!, (string?)row["ExternalDirectoryObjectId"]);
            Assert.Equal("UserMailbox", (string?)row["RecipientTypeDetails"]);
            Assert.Equal((string)user["mail"]!, (string?)row["PrimarySmtpAddress"]);
            Assert.Equal("#Collection(String)", (string?)row["EmailAddresses@odata.type"]);
        }

        var call = Host.Exchange.Calls[^1];
        Assert.Equal("Get-Mailbox", call.Cmdlet);
        Assert.Equal(["Identity"], call.ParameterNames);
        Assert.Equal(200, call.Status);
        var journal = Host.Journal.Entries.Last(e => e.Path.EndsWith("/InvokeCommand", StringComparison.Ordinal));
        Assert.Equal("POST", journal.Method);
        Assert.Equal(Contoso, journal.TenantId);
    }

    [Fact]
    public async Task GuestsUnlicensedUsersAndLicencesWithoutExchange_HaveNoMailbox_AndGetTheNotFoundEnvelope()
    {
        using var client = new ExchangeClient(Host);
        var tenant = Host.State.Tenant(Contoso);
        var guest = tenant.Users().First(u => (string?)u["userType"] == "Guest");
        var unlicensed = tenant.Users().First(u => (string?)u["userType"] == "Member" && u["assignedLicenses"]!.AsArray().Count == 0);
        foreach (var user in new[] { guest, unlicensed })
        {
            var upn = (string)user["userPrincipalName"]!;
            Assert.Null(Host.Exchange.Mailbox(Contoso, upn));
            var answer = await client.InvokeAsync(Contoso, "Get-Mailbox", new JsonObject { ["Identity"] = upn });
            Assert.Equal(404, answer.Status);
            var error = answer.Json!["error"]!;
            Assert.Equal("NotFound", (string?)error["code"]);
            Assert.Equal("Error executing cmdlet", (string?)error["message"]);
            var detail = (string)error["details"]![0]!["message"]!;
            var parts = detail.Split('|');
            Assert.Equal(3, parts.Length);
            Assert.Equal("Ex6F9304", parts[0]);
            Assert.Equal("Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException", parts[1]);
            Assert.Contains($"object '{upn}' couldn't be found", parts[2], StringComparison.Ordinal);
            Assert.Equal("Microsoft.Exchange.Admin.OData.Core.ODataServiceException", (string?)error["innererror"]!["type"]);
            Assert.NotNull(error["innererror"]!["internalexception"]!["message"]);
        }

        // Licensed, but only for Power BI: no Exchange plan, no mailbox.
        var powerBi = SkuId(Contoso, "POWER_BI_STANDARD");
        var biOnly = tenant.Users().FirstOrDefault(u => u["assignedLicenses"]!.AsArray().Select(l => (string?)l!["skuId"]).SequenceEqual([powerBi]));
        if (biOnly is not null)
        {
            Assert.Null(Host.Exchange.Mailbox(Contoso, (string)biOnly["id"]!));
        }
    }

    [Fact]
    public async Task SeededTenants_HaveSharedRoomAndEquipmentMailboxesAndArchives_Deterministically()
    {
        foreach (var tenantId in new[] { Contoso, Fabrikam })
        {
            var mailboxes = Host.Exchange.AllMailboxes(tenantId);
            Assert.Contains(mailboxes, m => m.RecipientTypeDetails == "SharedMailbox");
            Assert.Contains(mailboxes, m => m.RecipientTypeDetails == "RoomMailbox");
            Assert.Contains(mailboxes, m => m.RecipientTypeDetails == "EquipmentMailbox");
            Assert.Contains(mailboxes, m => m.ArchiveActive);
            Assert.True(mailboxes.Count(m => m.RecipientTypeDetails == "UserMailbox") > mailboxes.Count / 2);
        }

        // Two fresh emulators (the fixture's has been changed by other tests) seed the same special mailboxes.
        await using var first = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false }, Ct);
        await using var again = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false }, Ct);
        var special = first.Exchange.AllMailboxes(Fabrikam).Where(m => m.RecipientTypeDetails != "UserMailbox" || m.ArchiveActive).ToList();
        Assert.NotEmpty(special);
        Assert.Equal(special, again.Exchange.AllMailboxes(Fabrikam).Where(m => m.RecipientTypeDetails != "UserMailbox" || m.ArchiveActive));
    }

    [Fact]
    public async Task GetMailboxWithoutIdentity_PagesWithNextLink_ReusingTheSameBody_AndKeepsSelect()
    {
        using var client = new ExchangeClient(Host);
        var expected = Host.Exchange.AllMailboxes(Fabrikam).Select(m => m.UserId).ToList();
        var body = new JsonObject { ["ResultSize"] = "Unlimited" };
        var seen = new List<string>();
        var url = $"adminapi/beta/{Fabrikam}/InvokeCommand?$select=ExternalDirectoryObjectId,RecipientTypeDetails";
        var pages = 0;
        while (url is not null)
        {
            var answer = await client.InvokeAsync(Fabrikam, "Get-Mailbox", body, url: url, pageSize: 100);
            Assert.Equal(200, answer.Status);
            pages++;
            foreach (var row in answer.Value.Select(r => r!.AsObject()))
            {
                Assert.Equal(["ExternalDirectoryObjectId", "RecipientTypeDetails"], row.Select(p => p.Key).Order(StringComparer.Ordinal));
                seen.Add((string)row["ExternalDirectoryObjectId"]!);
            }

            Assert.True(answer.Value.Count <= 100);
            url = (string?)answer.Json!["@odata.nextLink"];
        }

        Assert.Equal(expected, seen);
        Assert.Equal((expected.Count + 99) / 100, pages);
        Assert.True(pages > 1);

        var shared = await client.InvokeAsync(Fabrikam, "Get-Mailbox", new JsonObject { ["RecipientTypeDetails"] = new JsonArray("SharedMailbox"), ["ResultSize"] = "3" });
        Assert.InRange(shared.Value.Count, 1, 3);
        Assert.All(shared.Value, r => Assert.Equal("SharedMailbox", (string?)r!["RecipientTypeDetails"]));
    }

    [Fact]
    public async Task SetMailboxType_ConvertsTheMailbox_AndWarnsWhenNothingChanged()
    {
        using var client = new ExchangeClient(Host);
        var upn = (string)LicensedUserMailbox(Fabrikam, skip: 5)["userPrincipalName"]!;

        var convert = await client.InvokeAsync(Fabrikam, "Set-Mailbox", new JsonObject { ["identity"] = upn, ["type"] = "shared" }, anchor: upn);
        Assert.Equal(200, convert.Status);
        Assert.Empty(convert.Value);
        Assert.Empty(convert.Json!["@adminapi.warnings"]!.AsArray());
        Assert.Equal("SharedMailbox", Host.Exchange.Mailbox(Fabrikam, upn)!.RecipientTypeDetails);
        var read = await client.InvokeAsync(Fabrikam, "Get-Mailbox", new JsonObject { ["Identity"] = upn });
        Assert.Equal("SharedMailbox", (string?)read.Value[0]!["RecipientTypeDetails"]);
        Assert.Equal(upn, Host.Exchange.Calls.Last(c => c.Cmdlet == "Set-Mailbox").AnchorMailbox);

        var again = await client.InvokeAsync(Fabrikam, "Set-Mailbox", new JsonObject { ["Identity"] = upn, ["Type"] = "Shared" });
        Assert.Contains("no settings of", (string)again.Json!["@adminapi.warnings"]![0]!, StringComparison.Ordinal);

        var back = await client.InvokeAsync(Fabrikam, "Set-Mailbox", new JsonObject { ["Identity"] = upn, ["Type"] = "Regular" });
        Assert.Equal(200, back.Status);
        Assert.Equal("UserMailbox", Host.Exchange.Mailbox(Fabrikam, upn)!.RecipientTypeDetails);

        var missing = await client.InvokeAsync(Fabrikam, "Set-Mailbox", new JsonObject { ["Identity"] = "nobody@fabrikamlogistics.com", ["Type"] = "Shared" });
        Assert.Equal(404, missing.Status);
    }

    [Theory]
    [InlineData("Set-Mailbox", """{"Identity":"{upn}","Type":"Kiosk"}""", "ParameterBindingArgumentTransformationException", "Regular, Room, Equipment, Shared")]
    [InlineData("Set-Mailbox", """{"Identity":"{upn}","Colour":"Blue"}""", "AmbiguousParameterSetException", "'Colour'")]
    [InlineData("Set-Mailbox", """{"Type":"Shared"}""", "ParameterBindingException", "Identity")]
    [InlineData("Get-Mailbox", """{"RecipientTypeDetails":"Toaster"}""", "ParameterBindingArgumentTransformationException", "SharedMailbox")]
    [InlineData("Remove-Everything", """{}""", "CommandNotFoundException", "Remove-Everything")]
    [InlineData("Set-MailboxAutoReplyConfiguration", """{"Identity":"{upn}","AutoReplyState":"Sometimes"}""", "ParameterBindingArgumentTransformationException", "Disabled, Enabled, Scheduled")]
    [InlineData("Set-MailboxAutoReplyConfiguration", """{"Identity":"{upn}","AutoReplyState":"Scheduled","StartTime":"2026-12-02T09:00:00Z","EndTime":"2026-12-01T09:00:00Z"}""", "DataValidationException", "end time")]
    [InlineData("Set-MailboxAutoReplyConfiguration", """{"Identity":"{upn}","AutoReplyState":"Enabled","CreateOOFEvent":true}""", "DataValidationException", "Scheduled")]
    public async Task InvalidCommands_GetBadRequestInvalidOperation_WithTheReasonInDetails(string cmdlet, string parameters, string exceptionType, string mentions)
    {
        using var client = new ExchangeClient(Host);
        var upn = (string)LicensedUserMailbox(Contoso)["userPrincipalName"]!;
        var answer = await client.InvokeAsync(Contoso, cmdlet, JsonNode.Parse(parameters.Replace("{upn}", upn, StringComparison.Ordinal))!.AsObject());

        Assert.Equal(400, answer.Status);
        var error = answer.Json!["error"]!;
        Assert.Equal("BadRequest", (string?)error["code"]);
        Assert.Equal("Invalid Operation", (string?)error["message"]);
        var parts = ((string)error["details"]![0]!["message"]!).Split('|');
        Assert.Equal(3, parts.Length);
        Assert.EndsWith(exceptionType, parts[1], StringComparison.Ordinal);
        Assert.Contains(mentions, parts[2], StringComparison.OrdinalIgnoreCase);
        Assert.Contains(mentions, (string)error["innererror"]!["internalexception"]!["message"]!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MalformedBody_IsABadRequest()
    {
        using var client = new ExchangeClient(Host);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"adminapi/beta/{Contoso}/InvokeCommand", UriKind.Relative))
        {
            Content = new StringContent("""{"Cmdlet":"Get-Mailbox"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await client.TokenAsync(Contoso, ExchangeScope));
        using var response = await client.Http.SendAsync(request, Ct);
        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task AutoReply_ReadsDefaults_SetsSchedule_AndReadsItBack()
    {
        using var client = new ExchangeClient(Host);
        var upn = (string)LicensedUserMailbox(Contoso, skip: 1)["userPrincipalName"]!;

        var before = await client.InvokeAsync(Contoso, "Get-MailboxAutoReplyConfiguration", new JsonObject { ["Identity"] = upn });
        Assert.Equal(200, before.Status);
        Assert.Equal("Disabled", (string?)before.Value[0]!["AutoReplyState"]);
        Assert.Equal("All", (string?)before.Value[0]!["ExternalAudience"]);

        var set = await client.InvokeAsync(Contoso, "Set-MailboxAutoReplyConfiguration", new JsonObject
        {
            ["Identity"] = upn,
            ["AutoReplyState"] = "Scheduled",
            ["ExternalAudience"] = "None",
            ["InternalMessage"] = "<p>Away until Monday</p>",
            ["StartTime"] = "2026-12-01T09:00:00Z",
            ["EndTime"] = "2026-12-08T09:00:00Z",
            ["CreateOOFEvent"] = true,
            ["OOFEventSubject"] = "Away",
        });
        Assert.Equal(200, set.Status);

        var after = (await client.InvokeAsync(Contoso, "Get-MailboxAutoReplyConfiguration", new JsonObject { ["Identity"] = upn })).Value[0]!;
        Assert.Equal("Scheduled", (string?)after["AutoReplyState"]);
        Assert.Equal("None", (string?)after["ExternalAudience"]);
        Assert.Equal("<p>Away until Monday</p>", (string?)after["InternalMessage"]);
        Assert.Equal("2026-12-01T09:00:00Z", (string?)after["StartTime"]);
        Assert.Equal("2026-12-08T09:00:00Z", (string?)after["EndTime"]);
        Assert.True((bool)after["CreateOOFEvent"]!);
        Assert.Equal("Away", (string?)after["OOFEventSubject"]);

        // Disabled without messages keeps the texts (as CIPP relies on).
        await client.InvokeAsync(Contoso, "Set-MailboxAutoReplyConfiguration", new JsonObject { ["Identity"] = upn, ["AutoReplyState"] = "Disabled" });
        var off = (await client.InvokeAsync(Contoso, "Get-MailboxAutoReplyConfiguration", new JsonObject { ["Identity"] = upn })).Value[0]!;
        Assert.Equal("Disabled", (string?)off["AutoReplyState"]);
        Assert.Equal("<p>Away until Monday</p>", (string?)off["InternalMessage"]);

        var guest = (string)Host.State.Tenant(Contoso).Users().First(u => (string?)u["userType"] == "Guest")["userPrincipalName"]!;
        Assert.Equal(404, (await client.InvokeAsync(Contoso, "Get-MailboxAutoReplyConfiguration", new JsonObject { ["Identity"] = guest })).Status);
    }

    [Fact]
    public async Task InjectedFaults_Answer403WithoutJson_429InPlainText_And503WithRetryAfter_ThenRecover()
    {
        using var client = new ExchangeClient(Host);
        Host.Exchange.FailNext(Contoso, ExchangeFault.Forbidden);
        Host.Exchange.FailNext(Contoso, ExchangeFault.Throttled);
        Host.Exchange.FailNext(Contoso, ExchangeFault.ServiceUnavailable);

        var forbidden = await client.InvokeAsync(Contoso, "Get-Mailbox", new JsonObject());
        Assert.Equal(403, forbidden.Status);
        Assert.Null(forbidden.Json);
        Assert.Contains('\0', forbidden.Text);

        var throttled = await client.InvokeAsync(Contoso, "Get-Mailbox", new JsonObject());
        Assert.Equal(429, throttled.Status);
        Assert.Contains("maximum number of concurrent requests", throttled.Text, StringComparison.Ordinal);

        var unavailable = await client.InvokeAsync(Contoso, "Get-Mailbox", new JsonObject());
        Assert.Equal(503, unavailable.Status);
        Assert.Equal("1", unavailable.Headers["Retry-After"]);

        Assert.Equal(200, (await client.InvokeAsync(Contoso, "Get-Mailbox", new JsonObject())).Status);
        Assert.Contains(Host.Journal.Entries, e => e.TenantId == Contoso && e.Status == 429 && e.Throttled);
    }

    [Fact]
    public async Task ExchangeBudget_Answers429WithRetryAfter_WhenTheTenantsRealismThrottles()
    {
        await using var host = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false }, Ct);
        host.State.Tenant(Contoso).SetRealism(new RealismSettings { ExchangeBudget = 2, ExchangeBudgetWindow = TimeSpan.FromMinutes(1) });
        using var client = new ExchangeClient(host);

        var first = await client.InvokeAsync(Contoso, "Get-Mailbox", new JsonObject { ["ResultSize"] = "1" });
        var second = await client.InvokeAsync(Contoso, "Get-Mailbox", new JsonObject { ["ResultSize"] = "1" });
        var third = await client.InvokeAsync(Contoso, "Get-Mailbox", new JsonObject { ["ResultSize"] = "1" });

        Assert.Equal(200, first.Status);
        Assert.Equal("2", first.Headers["Rate-Limit-Limit"]);
        Assert.Equal("1", first.Headers["Rate-Limit-Remaining"]);
        Assert.Equal(200, second.Status);
        Assert.Equal(429, third.Status);
        Assert.Equal("TooManyRequests", (string?)third.Json!["error"]!["code"]);
        Assert.True(int.Parse(third.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(200, (await client.InvokeAsync(Fabrikam, "Get-Mailbox", new JsonObject { ["ResultSize"] = "1" })).Status);
    }

    [Fact]
    public async Task Batch_AnswersEachItemByIdWithItsOwnStatusAndBody()
    {
        using var client = new ExchangeClient(Host);
        var upn = (string)LicensedUserMailbox(Contoso, skip: 2)["userPrincipalName"]!;
        var url = $"{Host.BaseUri}adminapi/beta/{Contoso}/InvokeCommand";
        JsonObject Item(string id, string cmdlet, JsonObject parameters, string? itemUrl = null) => new()
        {
            ["id"] = id,
            ["method"] = "POST",
            ["url"] = itemUrl ?? url,
            ["body"] = new JsonObject { ["CmdletInput"] = new JsonObject { ["CmdletName"] = cmdlet, ["Parameters"] = parameters } },
            ["headers"] = new JsonObject { ["X-AnchorMailbox"] = $"APP:SystemMailbox{{bb558c35-97f1-4cb9-8ff7-d53741dc928c}}@{Contoso}", ["X-CmdletName"] = cmdlet },
        };
        var requests = new JsonArray(
            Item("a", "Get-Mailbox", new JsonObject { ["Identity"] = upn }, url + "?$select=UserPrincipalName"),
            Item("b", "Get-Mailbox", new JsonObject { ["Identity"] = "nobody@contosodental.com" }),
            Item("c", "Set-MailboxAutoReplyConfiguration", new JsonObject { ["Identity"] = upn, ["AutoReplyState"] = "Enabled" }));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"adminapi/beta/{Contoso}/$batch", UriKind.Relative))
        {
            Content = new StringContent(new JsonObject { ["requests"] = requests }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await client.TokenAsync(Contoso, ExchangeScope));
        using var response = await client.Http.SendAsync(request, Ct);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(200, (int)response.StatusCode);
        var byId = json["responses"]!.AsArray().ToDictionary(r => (string)r!["id"]!, r => r!.AsObject());
        Assert.Equal(200, (int)byId["a"]["status"]!);
        Assert.Equal(["UserPrincipalName"], byId["a"]["body"]!["value"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal(404, (int)byId["b"]["status"]!);
        Assert.Equal("NotFound", (string?)byId["b"]["body"]!["error"]!["code"]);
        Assert.Equal(200, (int)byId["c"]["status"]!);
        Assert.Equal("Enabled", Host.Exchange.Mailbox(Contoso, upn)!.AutoReplyState);
        Assert.Equal(3, Host.Journal.Entries.Count(e => e.BatchItem && e.TenantId == Contoso && e.Path.EndsWith("/InvokeCommand", StringComparison.Ordinal)));

        using var tooMany = new HttpRequestMessage(HttpMethod.Post, new Uri($"adminapi/beta/{Contoso}/$batch", UriKind.Relative))
        {
            Content = new StringContent(new JsonObject { ["requests"] = new JsonArray([.. Enumerable.Range(0, 11).Select(i => (JsonNode)Item($"x{i}", "Get-Mailbox", []))]) }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        tooMany.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await client.TokenAsync(Contoso, ExchangeScope));
        using var refused = await client.Http.SendAsync(tooMany, Ct);
        Assert.Equal(400, (int)refused.StatusCode);
    }

    [Fact]
    public async Task MailboxesFollowTheUsersLicences_AndAConvertedSharedMailboxOutlivesItsLicence()
    {
        using var graph = new GraphTestClient(Host);
        using var client = new ExchangeClient(Host);
        var upn = $"mailbox.follow@{SeededTenants.FabrikamLogisticsDomain}";
        var created = await graph.PostAsync(Fabrikam, "users", new JsonObject
        {
            ["accountEnabled"] = true,
            ["displayName"] = "Mailbox Follow",
            ["mailNickname"] = "mailbox.follow",
            ["userPrincipalName"] = upn,
            ["usageLocation"] = "GB",
            ["passwordProfile"] = new JsonObject { ["password"] = "Str0ng!Passw0rd", ["forceChangePasswordNextSignIn"] = true },
        });
        Assert.Equal(201, created.Status);
        var id = (string)created.Json!["id"]!;
        var skuId = SkuId(Fabrikam, "EXCHANGESTANDARD");
        JsonObject Licence(bool add) => new()
        {
            ["addLicenses"] = add ? new JsonArray(new JsonObject { ["skuId"] = skuId, ["disabledPlans"] = new JsonArray() }) : new JsonArray(),
            ["removeLicenses"] = add ? new JsonArray() : new JsonArray(skuId),
        };

        Assert.Equal(404, (await client.InvokeAsync(Fabrikam, "Get-Mailbox", new JsonObject { ["Identity"] = upn })).Status);
        Assert.Equal(200, (await graph.PostAsync(Fabrikam, $"users/{id}/assignLicense", Licence(add: true))).Status);
        var licensed = await client.InvokeAsync(Fabrikam, "Get-Mailbox", new JsonObject { ["Identity"] = upn });
        Assert.Equal(200, licensed.Status);
        Assert.Equal("UserMailbox", (string?)licensed.Value[0]!["RecipientTypeDetails"]);

        Assert.Equal(200, (await graph.PostAsync(Fabrikam, $"users/{id}/assignLicense", Licence(add: false))).Status);
        Assert.Equal(404, (await client.InvokeAsync(Fabrikam, "Get-Mailbox", new JsonObject { ["Identity"] = id })).Status);

        await graph.PostAsync(Fabrikam, $"users/{id}/assignLicense", Licence(add: true));
        Assert.Equal(200, (await client.InvokeAsync(Fabrikam, "Set-Mailbox", new JsonObject { ["Identity"] = upn, ["Type"] = "Shared" })).Status);
        await graph.PostAsync(Fabrikam, $"users/{id}/assignLicense", Licence(add: false));
        Assert.Equal("SharedMailbox", Host.Exchange.Mailbox(Fabrikam, upn)?.RecipientTypeDetails);
    }

    private JsonObject LicensedUserMailbox(string tenantId, int skip = 0)
    {
        var userMailboxes = Host.Exchange.AllMailboxes(tenantId).Where(m => m.RecipientTypeDetails == "UserMailbox" && !m.ArchiveActive).Skip(3 + skip).First();
        return Host.State.Tenant(tenantId).FindUser(userMailboxes.UserId)!;
    }

    private string SkuId(string tenantId, string partNumber) =>
        (string)Host.State.Tenant(tenantId).SubscribedSkus().First(s => (string?)s["skuPartNumber"] == partNumber)["skuId"]!;

    private static JsonObject Payload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Convert.FromBase64String(part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=')))!.AsObject();
    }

    /// <summary>Raw InvokeCommand calls with an Exchange token per tenant.</summary>
    private sealed class ExchangeClient(EmulatorHost host) : IDisposable
    {
        private readonly Dictionary<string, string> tokens = [];

        public HttpClient Http { get; } = host.CreateHttpClient();

        public Task<HttpResponseMessage> RequestTokenAsync(string tenantId, string scope) =>
            Http.PostAsync(new Uri($"{tenantId}/oauth2/v2.0/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = host.ClientId,
                ["client_secret"] = host.ClientSecret,
                ["scope"] = scope,
            }), Ct);

        public async Task<string> TokenAsync(string tenantId, string scope)
        {
            var key = tenantId + scope;
            if (!tokens.TryGetValue(key, out var token))
            {
                using var response = await RequestTokenAsync(tenantId, scope);
                response.EnsureSuccessStatusCode();
                token = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["access_token"]!.GetValue<string>();
                tokens[key] = token;
            }

            return token;
        }

        public async Task<ExchangeAnswer> InvokeAsync(string tenant, string cmdlet, JsonObject parameters, string? token = null, string? tokenTenant = null,
            string? url = null, int? pageSize = null, string? anchor = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url ?? $"adminapi/beta/{tenant}/InvokeCommand", UriKind.RelativeOrAbsolute))
            {
                Content = new StringContent(new JsonObject
                {
                    ["CmdletInput"] = new JsonObject { ["CmdletName"] = cmdlet, ["Parameters"] = parameters.DeepClone() },
                }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            token ??= await TokenAsync(tokenTenant ?? tenant, ExchangeScope);
            if (token.Length > 0)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            if (pageSize is { } size)
            {
                request.Headers.Add("Prefer", $"odata.maxpagesize={size}");
            }

            if (anchor is not null)
            {
                request.Headers.Add("X-AnchorMailbox", anchor);
            }

            using var response = await Http.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            JsonNode? json = null;
            if (response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0)
            {
                json = JsonNode.Parse(text);
            }

            var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            return new ExchangeAnswer((int)response.StatusCode, json, text, headers);
        }

        public void Dispose() => Http.Dispose();
    }

    private sealed record ExchangeAnswer(int Status, JsonNode? Json, string Text, IReadOnlyDictionary<string, string> Headers)
    {
        public JsonArray Value => Json!["value"]!.AsArray();
    }
}
