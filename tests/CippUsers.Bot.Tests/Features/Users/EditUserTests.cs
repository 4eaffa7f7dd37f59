using System.Text.Json.Nodes;
using CippUsers.Bot.Features.Users;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;
using CippUsers.TenantEmulator;

namespace CippUsers.Bot.Tests.Features.Users;

/// Edit User end to end over the bot's HTTP endpoint against the emulator: menu → prefilled card → submit (changed
/// fields only) → confirm → job → PATCH → per-field result.
public sealed class EditUserTests(UsersBotFixture fixture) : IClassFixture<UsersBotFixture>
{
    private static readonly string Tenant = SeededTenants.FabrikamLogisticsId;

    private BotHarness Bot => fixture.Bot;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TypedEditCommand_OpensThePrefilledEditCard_NotAnEmptyConfirmation()
    {
        var users = fixture.Get<UserOperations>();
        var target = (await users.ListPageAsync(Tenant, new UserQuery { Top = 300 }, Ct)).Value!.Users
            .Where(u => !u.OnPremisesSyncEnabled && !u.IsGuest && u.JobTitle is not null).Skip(70).First();

        var posted = await Bot.SendAsync($"edit {target.UserPrincipalName}");

        var card = Assert.Single(posted, c => c.Kind != "update" && c.Cards.Count == 1 && CardJson.Verbs(c.Card).Contains(EditUserForm.SubmitVerb)).Card;
        Assert.Equal(target.JobTitle, Inputs(card)["jobTitle"]);
        Assert.DoesNotContain(posted, c => c.Cards.Count == 1 && CardJson.Verbs(c.Card).Contains(OperationVerbs.Confirm));
    }

    [Fact]
    public async Task Edit_SendsOnlyChangedFields_ClearsEmptiedOnes_AndLeavesUpnAlone()
    {
        var users = fixture.Get<UserOperations>();
        var all = (await users.ListPageAsync(Tenant, new UserQuery { Top = 300 }, Ct)).Value!.Users;
        var target = all.Where(u => !u.OnPremisesSyncEnabled && !u.IsGuest && u.JobTitle is not null && u.Department is not null && u.City is not null).Skip(40).First();

        var form = await Bot.InvokeAsync(UsersVerbs.Act, new JsonObject { ["t"] = Tenant, ["a"] = EditUserRunner.Id, ["u"] = target.Id });
        var inputs = Inputs(form.Card);
        Assert.Equal(target.JobTitle, inputs["jobTitle"]);
        Assert.Equal(target.Department, inputs["department"]);
        Assert.Equal(target.UserPrincipalName, inputs["userPrincipalName"]);

        // Someone changes the city elsewhere while the card is open: a changed-only PATCH must not put the old city back.
        Assert.True((await users.UpdateAsync(Tenant, target.Id, new UserChanges { City = "Changed Elsewhere" }, Ct)).Succeeded);

        var submit = UsersBotFixture.ActionData(form.Card, EditUserForm.SubmitVerb);
        foreach (var (id, value) in inputs)
        {
            submit[id] = value;
        }

        submit["jobTitle"] = "Night Auditor";
        submit["department"] = "";
        var submitted = await Bot.InvokeAsync(EditUserForm.SubmitVerb, submit);
        Assert.Contains("jobTitle, department", submitted.Message);

        var confirmCard = submitted.Posted.Single(c => c.Cards.Count == 1 && CardJson.Verbs(c.Card).Contains(OperationVerbs.Confirm));
        var operationId = confirmCard.Card["actions"]!.AsArray().First(a => a!["verb"]?.GetValue<string>() == OperationVerbs.Confirm)!["data"]!["operationId"]!.GetValue<string>();
        var stored = await Store.GetAsync(Guid.Parse(operationId), Ct);
        Assert.Equal(new Dictionary<string, string> { ["jobTitle"] = "Night Auditor", ["department"] = "" },
            stored!.Parameters.Select(p => (p.Key, Value: p.Value!.GetValue<string>())).ToDictionary(p => p.Key, p => p.Value));

        var journalBefore = fixture.Emulator.Journal.Entries.Count(e => e.Method == "PATCH" && e.Path.Contains(target.Id, StringComparison.OrdinalIgnoreCase));
        await Bot.InvokeAsync(OperationVerbs.Confirm, new JsonObject { ["operationId"] = operationId }, replyToId: confirmCard.ActivityId);
        var done = await WaitForEndAsync(Guid.Parse(operationId));

        Assert.Equal(OperationState.Succeeded, done.State);
        var message = Assert.Single(done.Results).Message;
        Assert.Contains($"jobTitle: “{target.JobTitle}” → “Night Auditor”", message);
        Assert.Contains($"department: “{target.Department}” → cleared", message);
        var user = fixture.Emulator.State.Tenant(Tenant).FindUser(target.Id)!;
        Assert.Equal("Night Auditor", (string?)user["jobTitle"]);
        Assert.Null((string?)user["department"]);
        Assert.Equal("Changed Elsewhere", (string?)user["city"]);
        Assert.Equal(target.UserPrincipalName, (string?)user["userPrincipalName"]);
        Assert.Equal(target.DisplayName, (string?)user["displayName"]);
        var patches = fixture.Emulator.Journal.Entries.Where(e => e.Method == "PATCH" && e.Path.Contains(target.Id, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(journalBefore + 1, patches.Count);
        Assert.Equal(["department", "jobTitle"], patches[^1].BodyProperties!.Order());
    }

    [Fact]
    public async Task Edit_UpnChangesOnlyWhenEdited()
    {
        var users = fixture.Get<UserOperations>();
        var target = (await users.ListPageAsync(Tenant, new UserQuery { Top = 300 }, Ct)).Value!.Users
            .Where(u => !u.OnPremisesSyncEnabled && !u.IsGuest).Skip(80).First();
        var form = await Bot.InvokeAsync(UsersVerbs.Act, new JsonObject { ["t"] = Tenant, ["a"] = EditUserRunner.Id, ["u"] = target.Id });
        var submit = UsersBotFixture.ActionData(form.Card, EditUserForm.SubmitVerb);
        foreach (var (id, value) in Inputs(form.Card))
        {
            submit[id] = value;
        }

        var newUpn = "renamed." + Guid.NewGuid().ToString("N")[..8] + "@" + SeededTenants.FabrikamLogisticsDomain;
        submit["userPrincipalName"] = newUpn;
        var submitted = await Bot.InvokeAsync(EditUserForm.SubmitVerb, submit);
        var confirmCard = submitted.Posted.Single(c => c.Cards.Count == 1 && CardJson.Verbs(c.Card).Contains(OperationVerbs.Confirm));
        var operationId = confirmCard.Card["actions"]!.AsArray().First(a => a!["verb"]?.GetValue<string>() == OperationVerbs.Confirm)!["data"]!["operationId"]!.GetValue<string>();
        await Bot.InvokeAsync(OperationVerbs.Confirm, new JsonObject { ["operationId"] = operationId }, replyToId: confirmCard.ActivityId);
        var done = await WaitForEndAsync(Guid.Parse(operationId));

        Assert.Equal(OperationState.Succeeded, done.State);
        Assert.Contains($"userPrincipalName: “{target.UserPrincipalName}” → “{newUpn}”", done.Results[0].Message);
        Assert.Equal(newUpn, (string?)fixture.Emulator.State.Tenant(Tenant).FindUser(target.Id)!["userPrincipalName"]);
        var patch = fixture.Emulator.Journal.Entries.Last(e => e.Method == "PATCH" && e.Path.Contains(target.Id, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["userPrincipalName"], patch.BodyProperties);
    }

    [Fact]
    public async Task Edit_NothingChanged_StartsNothing_AndInvalidUsageLocationComesBackOnTheCard()
    {
        var users = fixture.Get<UserOperations>();
        var target = (await users.ListPageAsync(Tenant, new UserQuery { Top = 300 }, Ct)).Value!.Users
            .Where(u => !u.OnPremisesSyncEnabled && !u.IsGuest).Skip(60).First();
        var form = await Bot.InvokeAsync(UsersVerbs.Act, new JsonObject { ["t"] = Tenant, ["a"] = EditUserRunner.Id, ["u"] = target.Id });
        var submit = UsersBotFixture.ActionData(form.Card, EditUserForm.SubmitVerb);
        foreach (var (id, value) in Inputs(form.Card))
        {
            submit[id] = value;
        }

        var same = await Bot.InvokeAsync(EditUserForm.SubmitVerb, submit);
        Assert.Contains("Nothing changed", same.Message);
        Assert.DoesNotContain(same.Posted, c => c.Kind != "update");

        submit["usageLocation"] = "gbr";
        var invalid = await Bot.InvokeAsync(EditUserForm.SubmitVerb, submit);
        Assert.Contains("two-letter country code", invalid.CardText);
        Assert.DoesNotContain(invalid.Posted, c => c.Kind != "update");
    }

    private PendingOperationStore Store => fixture.Get<PendingOperationStore>();

    private Task<PendingOperation> WaitForEndAsync(Guid id) => fixture.WaitForEndAsync(id, TimeSpan.FromSeconds(30), Ct);

    private static Dictionary<string, string> Inputs(JsonObject card)
        => card["body"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["type"]?.GetValue<string>() == "Input.Text")
            .ToDictionary(e => e["id"]!.GetValue<string>(), e => e["value"]?.GetValue<string>() ?? "");
}
