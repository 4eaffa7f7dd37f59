using System.Text.Json.Nodes;
using CippUsers.Bot.Features.Users;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;

namespace CippUsers.Bot.Tests.Features.Users;

/// The patch wizard over the bot's HTTP endpoint against the emulator: targets from the list's selection or its whole
/// filter, properties and values, a dry run (nothing changes), then confirm → bulk job with per-user results.
public sealed class PatchWizardTests(UsersBotFixture fixture) : IClassFixture<UsersBotFixture>
{
    private BotHarness Bot => fixture.Bot;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Selection_DryRunShowsOldToNew_NothingChangesUntilConfirm_ThenEveryUserIsPatched()
    {
        var tenant = fixture.Emulator.State.Tenant(SeededTenants.ContosoDentalId);
        var list = ListReply(await Bot.SendAsync($"users {SeededTenants.ContosoDentalDomain}"));
        var rows = UsersBotFixture.Actions(list.Card).Where(a => (string?)a["verb"] == UsersVerbs.Open)
            .Where(a => tenant.FindUser((string)a["data"]!["u"]!)!["department"] is not null).Take(3).Select(a => (string)a["data"]!["u"]!).ToList();
        var bulk = UsersBotFixture.ActionData(list.Card, UsersVerbs.Bulk);
        bulk[UsersCards.SelectedInput] = string.Join(',', rows);
        bulk[UsersCards.BulkActionInput] = EditPropertiesRunner.Id;
        var wizard = await Bot.InvokeAsync(UsersVerbs.Bulk, bulk);
        Assert.Contains("3 selected users", wizard.CardText);

        var first = tenant.FindUser(rows[0])!;
        var preview = UsersBotFixture.ActionData(wizard.Card, PatchWizard.PreviewVerb);
        preview[PatchWizard.PropertyInput(1)] = "jobTitle";
        preview[PatchWizard.ValueInput(1)] = "Patch Wizard Tester";
        preview[PatchWizard.PropertyInput(2)] = "department";
        preview[PatchWizard.ValueInput(2)] = (string)first["department"]!;
        var dryRun = await Bot.InvokeAsync(PatchWizard.PreviewVerb, preview);

        Assert.Contains("dry run", dryRun.CardText);
        Assert.Contains($"jobTitle: “{first["jobTitle"]}” → “Patch Wizard Tester”", dryRun.CardText);
        Assert.All(rows, id => Assert.NotEqual("Patch Wizard Tester", (string?)tenant.FindUser(id)!["jobTitle"]));
        var confirm = dryRun.Posted.Single(c => CardJson.Verbs(c.Card).Contains(OperationVerbs.Confirm));
        Assert.Contains("jobTitle → “Patch Wizard Tester”", confirm.CardText);

        var operationId = (string)UsersBotFixture.ActionData(confirm.Card, OperationVerbs.Confirm)["operationId"]!;
        await Bot.InvokeAsync(OperationVerbs.Confirm, new JsonObject { ["operationId"] = operationId }, replyToId: confirm.ActivityId);
        var done = await WaitForEndAsync(Guid.Parse(operationId));

        Assert.Equal(OperationState.Succeeded, done.State);
        Assert.Equal(3, done.Results.Count);
        Assert.All(rows, id => Assert.Equal("Patch Wizard Tester", (string?)tenant.FindUser(id)!["jobTitle"]));
        Assert.Contains("Already set: department", done.Results.Single(r => r.TargetId == rows[0]).Message);
    }

    [Fact]
    public async Task Filter_EveryMatchingUser_SyncedUsersLeftOutWithTheReason_AndUnchangedCounted()
    {
        var tenant = fixture.Emulator.State.Tenant(SeededTenants.FabrikamLogisticsId);
        var disabled = tenant.Users().Where(u => !(bool)u["accountEnabled"]! && (string?)u["userType"] == "Member").ToList();
        var cloud = disabled.Where(u => u["onPremisesSyncEnabled"] is null).Select(u => (string)u["id"]!).ToList();
        var synced = disabled.Where(u => u["onPremisesSyncEnabled"] is not null).Select(u => (string)u["id"]!).ToList();
        Assert.NotEmpty(cloud);
        Assert.NotEmpty(synced);

        var list = ListReply(await Bot.SendAsync($"users {SeededTenants.FabrikamLogisticsDomain}"));
        var apply = UsersBotFixture.ActionData(list.Card, UsersVerbs.Apply);
        apply[UsersCards.FilterInput] = "disabled,members";
        var filtered = await Bot.InvokeAsync(UsersVerbs.Apply, apply);
        var wizard = await Bot.InvokeAsync(PatchWizard.OpenVerb, UsersBotFixture.ActionData(filtered.Card, PatchWizard.OpenVerb));
        Assert.Contains("every user matching disabled, members", wizard.CardText);

        var preview = UsersBotFixture.ActionData(wizard.Card, PatchWizard.PreviewVerb);
        preview[PatchWizard.PropertyInput(1)] = "officeLocation";
        preview[PatchWizard.ValueInput(1)] = "Leavers Archive";
        var dryRun = await Bot.InvokeAsync(PatchWizard.PreviewVerb, preview);

        var facts = UserCardTests.Facts(dryRun.Card);
        Assert.Equal(disabled.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), facts["Users"]);
        Assert.Equal(cloud.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), facts["Would change"]);
        Assert.Equal(synced.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), facts["Cannot change"]);
        Assert.Contains("synced from on-premises AD", dryRun.CardText);

        var confirm = dryRun.Posted.Single(c => CardJson.Verbs(c.Card).Contains(OperationVerbs.Confirm));
        var operationId = (string)UsersBotFixture.ActionData(confirm.Card, OperationVerbs.Confirm)["operationId"]!;
        await Bot.InvokeAsync(OperationVerbs.Confirm, new JsonObject { ["operationId"] = operationId }, replyToId: confirm.ActivityId);
        var done = await WaitForEndAsync(Guid.Parse(operationId));

        Assert.Equal(OperationState.Succeeded, done.State);
        Assert.Equal(cloud.Order(), done.Results.Select(r => r.TargetId).Order());
        Assert.All(cloud, id => Assert.Equal("Leavers Archive", (string?)tenant.FindUser(id)!["officeLocation"]));
        Assert.All(synced, id => Assert.NotEqual("Leavers Archive", (string?)tenant.FindUser(id)!["officeLocation"]));

        // The same patch again: every user is counted unchanged and nothing is started.
        var again = await Bot.InvokeAsync(PatchWizard.PreviewVerb, preview);
        Assert.Equal("0", UserCardTests.Facts(again.Card)["Would change"]);
        Assert.Equal(cloud.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), UserCardTests.Facts(again.Card)["Unchanged (already set)"]);
        Assert.DoesNotContain(again.Posted, c => c.Cards.Count > 0 && CardJson.Verbs(c.Card).Contains(OperationVerbs.Confirm));
    }

    [Theory]
    [InlineData("usageLocation", "gbr", "two-letter country code")]
    [InlineData("jobTitle", "", "empty value is not sent")]
    public async Task InvalidValue_ComesBackOnTheWizard_NothingStarted(string property, string value, string message)
    {
        var list = ListReply(await Bot.SendAsync($"users {SeededTenants.ContosoDentalDomain}"));
        var wizard = await Bot.InvokeAsync(PatchWizard.OpenVerb, UsersBotFixture.ActionData(list.Card, PatchWizard.OpenVerb));
        var preview = UsersBotFixture.ActionData(wizard.Card, PatchWizard.PreviewVerb);
        preview[PatchWizard.PropertyInput(1)] = property;
        preview[PatchWizard.ValueInput(1)] = value;

        var answer = await Bot.InvokeAsync(PatchWizard.PreviewVerb, preview);

        Assert.Contains(message, answer.CardText);
        Assert.DoesNotContain(answer.Posted, c => c.Cards.Count > 0 && CardJson.Verbs(c.Card).Contains(OperationVerbs.Confirm));
    }

    [Fact]
    public async Task FilterMatchingTooManyUsers_IsRefused_NarrowTheFilter()
    {
        var list = ListReply(await Bot.SendAsync($"users {SeededTenants.NorthwindHealthDomain}"));
        var wizard = await Bot.InvokeAsync(PatchWizard.OpenVerb, UsersBotFixture.ActionData(list.Card, PatchWizard.OpenVerb));
        var preview = UsersBotFixture.ActionData(wizard.Card, PatchWizard.PreviewVerb);
        preview[PatchWizard.PropertyInput(1)] = "companyName";
        preview[PatchWizard.ValueInput(1)] = "Northwind";

        var answer = await Bot.InvokeAsync(PatchWizard.PreviewVerb, preview);

        Assert.Contains("20,000 users match", answer.CardText);
        Assert.DoesNotContain(answer.Posted, c => c.Cards.Count > 0 && CardJson.Verbs(c.Card).Contains(OperationVerbs.Confirm));
    }

    /// The list card of a `users` reply (a job of an earlier test may still post its status card into the chat).
    private static ConnectorCall ListReply(IReadOnlyList<ConnectorCall> replies) => replies.Single(r => r.CardText.Contains("Users of ", StringComparison.Ordinal));

    private PendingOperationStore Store => fixture.Get<PendingOperationStore>();

    private Task<PendingOperation> WaitForEndAsync(Guid id) => fixture.WaitForEndAsync(id, TimeSpan.FromSeconds(60), Ct);
}
