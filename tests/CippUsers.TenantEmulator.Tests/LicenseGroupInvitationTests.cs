using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Tests;

public sealed class LicenseGroupInvitationTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Tenant = SeededTenants.FabrikamLogisticsId;

    private EmulatedTenant State => fixture.Host.State.Tenant(Tenant);

    private static JsonObject Add(string skuId) => new()
    {
        ["addLicenses"] = new JsonArray(new JsonObject { ["skuId"] = skuId, ["disabledPlans"] = new JsonArray() }),
        ["removeLicenses"] = new JsonArray(),
    };

    private JsonObject Sku(string partNumber) => State.SubscribedSkus().Single(s => (string?)s["skuPartNumber"] == partNumber);

    [Fact]
    public async Task AssignLicense_ConsumesASeat_ShowsInLicenseDetails_AndRemoveGivesItBack()
    {
        using var client = new GraphTestClient(fixture.Host);
        var sku = Sku("EXCHANGESTANDARD");
        var skuId = (string)sku["skuId"]!;
        var before = (int)sku["consumedUnits"]!;
        var user = State.Users().First(u => u["usageLocation"] is not null && u["assignedLicenses"]!.AsArray().Count == 0 && (string?)u["userType"] == "Member");
        var id = (string)user["id"]!;

        var assigned = await client.PostAsync(Tenant, $"users/{id}/assignLicense", Add(skuId));
        var details = await client.GetAsync(Tenant, $"users/{id}/licenseDetails");
        var afterAssign = (int)Sku("EXCHANGESTANDARD")["consumedUnits"]!;
        var removed = await client.PostAsync(Tenant, $"users/{id}/assignLicense", new JsonObject { ["addLicenses"] = new JsonArray(), ["removeLicenses"] = new JsonArray(skuId) });
        var removeAgain = await client.PostAsync(Tenant, $"users/{id}/assignLicense", new JsonObject { ["addLicenses"] = new JsonArray(), ["removeLicenses"] = new JsonArray(skuId) });

        Assert.Equal(200, assigned.Status);
        Assert.Equal(id, (string?)assigned.Json!["id"]);
        Assert.Equal(before + 1, afterAssign);
        Assert.Equal("EXCHANGESTANDARD", (string?)Assert.Single(details.Value)!["skuPartNumber"]);
        Assert.Equal(200, removed.Status);
        Assert.Equal(before, (int)Sku("EXCHANGESTANDARD")["consumedUnits"]!);
        Assert.Equal(400, removeAgain.Status);
    }

    [Fact]
    public async Task AssignLicense_FailsWithoutUsageLocation_WithoutFreeSeats_AndWithMissingArrays()
    {
        using var client = new GraphTestClient(fixture.Host);
        var noLocation = State.Users().First(u => u["usageLocation"] is null);
        var located = State.Users().First(u => u["usageLocation"] is not null && u["assignedLicenses"]!.AsArray().Count == 0);
        var full = Sku("O365_BUSINESS_ESSENTIALS");
        Assert.Equal((int)full["prepaidUnits"]!["enabled"]!, (int)full["consumedUnits"]!);

        var location = await client.PostAsync(Tenant, $"users/{noLocation["id"]}/assignLicense", Add((string)Sku("SPB")["skuId"]!));
        var seats = await client.PostAsync(Tenant, $"users/{located["id"]}/assignLicense", Add((string)full["skuId"]!));
        var unknownSku = await client.PostAsync(Tenant, $"users/{located["id"]}/assignLicense", Add(Guid.NewGuid().ToString()));
        var missing = await client.PostAsync(Tenant, $"users/{located["id"]}/assignLicense", new JsonObject { ["addLicenses"] = new JsonArray() });

        Assert.Equal(400, location.Status);
        Assert.Equal("License assignment cannot be done for user with invalid usage location.", location.ErrorMessage);
        Assert.Equal(400, seats.Status);
        Assert.Contains("does not have any available licenses", seats.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(400, unknownSku.Status);
        Assert.Equal(400, missing.Status);
        Assert.Contains("removeLicenses", missing.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(State.FindUser((string)located["id"]!)!["assignedLicenses"]!.AsArray());
    }

    [Fact]
    public async Task GroupMembers_AddAndRemove_OnSecurityAndMicrosoft365Groups()
    {
        using var client = new GraphTestClient(fixture.Host);
        var group = (string)State.FindGroup("VPN Users")!["id"]!;
        var user = (string)State.Users().First(u => !State.GroupMemberIds(group).Contains((string)u["id"]!))["id"]!;
        var reference = new JsonObject { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/directoryObjects/{user}" };

        var added = await client.PostAsync(Tenant, $"groups/{group}/members/$ref", reference);
        var again = await client.PostAsync(Tenant, $"groups/{group}/members/$ref", reference.DeepClone());
        var members = await client.GetAsync(Tenant, $"groups/{group}/members?$top=999&$select=id");
        var memberOf = await client.GetAsync(Tenant, $"users/{user}/memberOf");
        var removed = await client.DeleteAsync(Tenant, $"groups/{group}/members/{user}/$ref");
        var removeAgain = await client.DeleteAsync(Tenant, $"groups/{group}/members/{user}/$ref");

        Assert.Equal(204, added.Status);
        Assert.Equal(400, again.Status);
        Assert.Contains("already exist", again.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(members.Value, m => (string?)m!["id"] == user && (string?)m["@odata.type"] == "#microsoft.graph.user");
        Assert.Contains(memberOf.Value, g => (string?)g!["id"] == group);
        Assert.Equal(204, removed.Status);
        Assert.Equal(400, removeAgain.Status);
        Assert.DoesNotContain(user, State.GroupMemberIds(group));
    }

    [Theory]
    [InlineData("Finance Approvers", "mail-enabled security groups and or distribution list")]
    [InlineData("All Company", "mail-enabled security groups and or distribution list")]
    [InlineData("Managers (dynamic)", "dynamic membership")]
    [InlineData("SG-FileShare-Users", "on-premises mastered")]
    public async Task GroupMembers_CannotChange_ExchangeDynamicOrSyncedGroups(string groupName, string reason)
    {
        using var client = new GraphTestClient(fixture.Host);
        var group = (string)State.FindGroup(groupName)!["id"]!;
        var user = (string)State.Users().First(u => !State.GroupMemberIds(group).Contains((string)u["id"]!))["id"]!;
        var before = State.GroupMemberIds(group).Count;

        var answer = await client.PostAsync(Tenant, $"groups/{group}/members/$ref", new JsonObject { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/directoryObjects/{user}" });

        Assert.Equal(400, answer.Status);
        Assert.Equal("Request_BadRequest", answer.ErrorCode);
        Assert.Contains(reason, answer.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, State.GroupMemberIds(group).Count);
    }

    [Fact]
    public async Task Invitation_CreatesAGuest_WithDocumentedResponse()
    {
        using var client = new GraphTestClient(fixture.Host);
        var answer = await client.PostAsync(Tenant, "invitations", new JsonObject
        {
            ["invitedUserEmailAddress"] = "pat@partner.example.com",
            ["invitedUserDisplayName"] = "Pat Partner",
            ["inviteRedirectUrl"] = "https://myapps.microsoft.com",
            ["sendInvitationMessage"] = true,
        });
        var missingRedirect = await client.PostAsync(Tenant, "invitations", new JsonObject { ["invitedUserEmailAddress"] = "x@partner.example.com" });

        Assert.Equal(201, answer.Status);
        JsonShape.Matches("""
            {"id":"4444","inviteRedeemUrl":"https://login.microsoftonline.com/redeem?rd=x","invitedUserType":"Guest",
             "invitedUserEmailAddress":"pat@partner.com","sendInvitationMessage":true,"resetRedemption":false,
             "inviteRedirectUrl":"https://myapps.microsoft.com","status":"PendingAcceptance",
             "invitedUserMessageInfo":{"messageLanguage":null,"customizedMessageBody":null,"ccRecipients":[]},
             "invitedUser":{"id":"5555"}}
            """, answer.Json);
        var guest = State.FindUser((string)answer.Json!["invitedUser"]!["id"]!)!;
        Assert.Equal("Guest", (string?)guest["userType"]);
        Assert.Equal($"pat_partner.example.com#EXT#@{SeededTenants.FabrikamLogisticsInitialDomain}", (string?)guest["userPrincipalName"]);
        Assert.Equal(400, missingRedirect.Status);
    }
}
