using System.Text.Json.Nodes;
using CippUsers.Bot.Features.Users;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;

namespace CippUsers.Bot.Tests.Features.Users;

/// Edit User's licences and groups over the bot's HTTP endpoint against the emulator: the card offers SKUs with free
/// seats and the user's groups; a submit turns only the changes into parameters (old → new on the confirmation card);
/// after confirm each step is its own ✓/✗ line and the emulator holds the result.
public sealed class EditUserMembershipTests(UsersBotFixture fixture) : IClassFixture<UsersBotFixture>
{
    private const string Tenant = SeededTenants.ContosoDentalId;

    private BotHarness Bot => fixture.Bot;

    private EmulatedTenant State => fixture.Emulator.State.Tenant(Tenant);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EditCard_OffersLicencesWithFreeSeats_AndTheUsersGroups()
    {
        var user = Member(skip: 4);
        var id = (string)user["id"]!;

        var form = await Bot.InvokeAsync(UsersVerbs.Act, new JsonObject { ["t"] = Tenant, ["a"] = EditUserRunner.Id, ["u"] = id });

        var licenses = Input(form.Card, EditUserMemberships.LicensesInput);
        foreach (var sku in State.SubscribedSkus())
        {
            var free = sku["prepaidUnits"]!["enabled"]!.GetValue<int>() - sku["consumedUnits"]!.GetValue<int>();
            var choice = licenses["choices"]!.AsArray().Single(c => (string?)c!["value"] == (string?)sku["skuId"]);
            Assert.EndsWith($"({free} available)", (string)choice!["title"]!);
        }

        Assert.Equal(string.Join(',', user["assignedLicenses"]!.AsArray().Select(l => (string)l!["skuId"]!)), (string?)licenses["value"]);
        var keep = Input(form.Card, EditUserMemberships.KeepGroupsInput);
        var changeable = GroupsOf(id).Where(g => !(bool)g["mailEnabled"]! || ((JsonArray)g["groupTypes"]!).Any(t => (string?)t == "Unified"))
            .Where(g => !((JsonArray)g["groupTypes"]!).Any(t => (string?)t == "DynamicMembership")).Select(g => (string)g["id"]!).Order();
        Assert.Equal(changeable, ((string)keep["value"]!).Split(',').Order());
        // Every enabled member is in the "All Company" distribution list, which Graph cannot change: listed with the reason.
        Assert.Contains("'All Company' is a distribution list", form.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_LicencesAndGroups_AppliedAsSeparateSteps_AfterConfirm()
    {
        var user = Member(skip: 6);
        var id = (string)user["id"]!;
        var powerBi = Sku("POWER_BI_STANDARD");
        var held = (string)user["assignedLicenses"]![0]!["skuId"]!;
        var allStaff = Group("All Staff");
        var vpn = Group("VPN Users");
        Assert.Contains(id, State.GroupMemberIds(allStaff));
        var vpnMemberBefore = State.GroupMemberIds(vpn).Contains(id);
        var form = await Bot.InvokeAsync(UsersVerbs.Act, new JsonObject { ["t"] = Tenant, ["a"] = EditUserRunner.Id, ["u"] = id });
        var submit = Submit(form.Card);

        submit[EditUserMemberships.LicensesInput] = powerBi;
        submit[EditUserMemberships.KeepGroupsInput] = string.Join(',', ((string)submit[EditUserMemberships.KeepGroupsInput]!).Split(',').Where(g => g != allStaff));
        submit[EditUserMemberships.AddGroupNamesInput] = vpnMemberBefore ? "" : "VPN Users";
        var submitted = await Bot.InvokeAsync(EditUserForm.SubmitVerb, submit);

        var confirm = submitted.Posted.Single(c => CardJson.Verbs(c.Card).Contains(OperationVerbs.Confirm));
        Assert.Contains("Microsoft 365 Business Standard → Power BI", confirm.CardText);
        Assert.Contains("− All Staff", confirm.CardText);
        var operationId = (string)UsersBotFixture.ActionData(confirm.Card, OperationVerbs.Confirm)["operationId"]!;
        // Nothing changed before confirm.
        Assert.Contains(id, State.GroupMemberIds(allStaff));
        Assert.Equal(held, (string?)State.FindUser(id)!["assignedLicenses"]![0]!["skuId"]);

        await Bot.InvokeAsync(OperationVerbs.Confirm, new JsonObject { ["operationId"] = operationId }, replyToId: confirm.ActivityId);
        var done = await WaitForEndAsync(Guid.Parse(operationId));

        Assert.Equal(OperationState.Succeeded, done.State);
        var message = Assert.Single(done.Results).Message;
        Assert.Contains("✓ Licenses:", message);
        Assert.Contains("✓ Removed from All Staff.", message);
        Assert.DoesNotContain("✗", message);
        Assert.Equal([powerBi], State.FindUser(id)!["assignedLicenses"]!.AsArray().Select(l => (string)l!["skuId"]!));
        Assert.DoesNotContain(id, State.GroupMemberIds(allStaff));
        Assert.Contains(id, State.GroupMemberIds(vpn));
    }

    [Fact]
    public async Task Edit_CopyGroupsFromAnotherUser_AddsChangeableGroups_AndSkipsOthersWithTheReason()
    {
        var finance = Group("Finance Approvers");
        var source = State.Users().First(u => State.GroupMemberIds(finance).Contains((string)u["id"]!));
        var target = State.Users().Where(u => (string?)u["userType"] == "Member" && u["onPremisesSyncEnabled"] is null && !State.GroupMemberIds(finance).Contains((string)u["id"]!)).Skip(9).First();
        var targetId = (string)target["id"]!;
        var expected = GroupsOf((string)source["id"]!).Where(g => !(bool)g["mailEnabled"]! || ((JsonArray)g["groupTypes"]!).Any(t => (string?)t == "Unified"))
            .Where(g => !((JsonArray)g["groupTypes"]!).Any(t => (string?)t == "DynamicMembership")).Select(g => (string)g["id"]!).ToList();
        var form = await Bot.InvokeAsync(UsersVerbs.Act, new JsonObject { ["t"] = Tenant, ["a"] = EditUserRunner.Id, ["u"] = targetId });
        var submit = Submit(form.Card);
        submit[EditUserMemberships.CopyFromInput] = (string)source["userPrincipalName"]!;

        var submitted = await Bot.InvokeAsync(EditUserForm.SubmitVerb, submit);
        var confirm = submitted.Posted.Single(c => CardJson.Verbs(c.Card).Contains(OperationVerbs.Confirm));
        Assert.Contains((string)source["displayName"]!, confirm.CardText);
        var operationId = (string)UsersBotFixture.ActionData(confirm.Card, OperationVerbs.Confirm)["operationId"]!;
        await Bot.InvokeAsync(OperationVerbs.Confirm, new JsonObject { ["operationId"] = operationId }, replyToId: confirm.ActivityId);
        var done = await WaitForEndAsync(Guid.Parse(operationId));

        var message = Assert.Single(done.Results).Message;
        Assert.True(done.State == OperationState.Succeeded, message);
        Assert.Contains($"Copied groups from {source["displayName"]}", message);
        Assert.Contains("Finance Approvers ('Finance Approvers' is a mail-enabled security group", message);
        Assert.All(expected, g => Assert.Contains(targetId, State.GroupMemberIds(g)));
        Assert.DoesNotContain(targetId, State.GroupMemberIds(finance));
    }

    [Theory]
    [InlineData("Finance Approvers", "mail-enabled security group")]
    [InlineData("Managers (dynamic)", "dynamic group")]
    [InlineData("No Such Group", "No group is named")]
    public async Task Edit_AddingAGroupGraphCannotChange_IsRefusedOnTheCardWithTheReason(string name, string reason)
    {
        // A user outside the group: already being a member would make the add a no-op, not a refusal.
        var members = State.FindGroup(name) is { } group ? State.GroupMemberIds((string)group["id"]!) : [];
        var user = Enumerable.Range(11, 10).Select(skip => Member(skip)).First(u => !members.Contains((string)u["id"]!));
        var form = await Bot.InvokeAsync(UsersVerbs.Act, new JsonObject { ["t"] = Tenant, ["a"] = EditUserRunner.Id, ["u"] = (string)user["id"]! });
        var submit = Submit(form.Card);
        submit[EditUserMemberships.AddGroupNamesInput] = name;

        var answer = await Bot.InvokeAsync(EditUserForm.SubmitVerb, submit);

        Assert.Contains(reason, answer.CardText);
        Assert.DoesNotContain(answer.Posted, c => c.Kind != "update");
        // The card comes back with what the tech had typed.
        Assert.Equal(name, (string?)Input(answer.Card, EditUserMemberships.AddGroupNamesInput)["value"]);
    }

    [Fact]
    public async Task Edit_LicenceWithoutFreeSeats_IsRefusedOnTheCard()
    {
        var user = Member(skip: 12);
        var form = await Bot.InvokeAsync(UsersVerbs.Act, new JsonObject { ["t"] = Tenant, ["a"] = EditUserRunner.Id, ["u"] = (string)user["id"]! });
        var submit = Submit(form.Card);
        var full = State.SubscribedSkus().First(s => s["prepaidUnits"]!["enabled"]!.GetValue<int>() == s["consumedUnits"]!.GetValue<int>());
        submit[EditUserMemberships.LicensesInput] = (string)submit[EditUserMemberships.LicensesInput]! + "," + (string)full["skuId"]!;

        var answer = await Bot.InvokeAsync(EditUserForm.SubmitVerb, submit);

        Assert.Contains("0 available", answer.CardText);
        // Nothing new is posted (an earlier test's job may still update its own result card meanwhile).
        Assert.DoesNotContain(answer.Posted, c => c.Kind != "update");
    }

    [Fact]
    public async Task EditCard_InTheLargeTenant_OffersAtMost50JoinableGroups_AndStaysUnderTeamsMessageLimit()
    {
        var northwind = fixture.Emulator.State.Tenant(SeededTenants.NorthwindHealthId);
        Assert.True(northwind.Groups().Count > EditUserMemberships.MaxJoinable);
        var user = northwind.Users().First(u => (string?)u["userType"] == "Member" && u["onPremisesSyncEnabled"] is null);

        var form = await Bot.InvokeAsync(UsersVerbs.Act, new JsonObject { ["t"] = SeededTenants.NorthwindHealthId, ["a"] = EditUserRunner.Id, ["u"] = (string)user["id"]! });

        Assert.Equal(EditUserMemberships.MaxJoinable, Input(form.Card, EditUserMemberships.AddGroupsInput)["choices"]!.AsArray().Count);
        // Teams takes about 100 KB of UTF-16 per bot message; keep every card under 80 KB (teams-platform.md).
        Assert.InRange(form.Card.ToJsonString().Length * 2, 1, 80_000);
    }

    private JsonObject Member(int skip) => State.Users()
        .Where(u => (string?)u["userType"] == "Member" && (bool)u["accountEnabled"]! && u["usageLocation"] is not null
            && u["assignedLicenses"]!.AsArray().Count == 1 && (string?)u["assignedLicenses"]![0]!["skuId"] == Sku("O365_BUSINESS_PREMIUM"))
        .Skip(skip).First();

    private string Sku(string partNumber) => (string)State.SubscribedSkus().Single(s => (string?)s["skuPartNumber"] == partNumber)["skuId"]!;

    private string Group(string name) => (string)State.FindGroup(name)!["id"]!;

    private List<JsonObject> GroupsOf(string userId) => [.. State.Groups().Where(g => State.GroupMemberIds((string)g["id"]!).Contains(userId))];

    /// The submit data as Teams would send it: the action's data plus every input's current value.
    private static JsonObject Submit(JsonObject card)
    {
        var submit = UsersBotFixture.ActionData(card, EditUserForm.SubmitVerb);
        foreach (var input in card["body"]!.AsArray().OfType<JsonObject>().Where(e => ((string?)e["type"])?.StartsWith("Input.", StringComparison.Ordinal) == true))
        {
            submit[(string)input["id"]!] = (string?)input["value"] ?? "";
        }

        return submit;
    }

    private static JsonObject Input(JsonObject card, string id)
        => card["body"]!.AsArray().OfType<JsonObject>().Single(e => (string?)e["id"] == id);

    private PendingOperationStore Store => fixture.Get<PendingOperationStore>();

    private Task<PendingOperation> WaitForEndAsync(Guid id) => fixture.WaitForEndAsync(id, TimeSpan.FromSeconds(30), Ct);
}
