using System.Text.Json.Nodes;
using CippUsers.Bot.Features.Users;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;

namespace CippUsers.Bot.Tests.Features.Users;

/// Delete User from the users table: bulk selection → confirmation → a different approver (approval-gated by default
/// policy) → job → users soft-deleted in the emulator, each result saying they can be restored for 30 days.
public sealed class DeleteUserFlowTests(UsersBotFixture fixture) : IClassFixture<UsersBotFixture>
{
    private BotHarness Bot => fixture.Bot;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BulkDelete_WaitsForADifferentApprover_ThenDeletesRestorably()
    {
        var tenant = fixture.Emulator.State.Tenant(SeededTenants.ContosoDentalId);
        var list = (await Bot.SendAsync($"users {SeededTenants.ContosoDentalDomain}")).Single(r => r.CardText.Contains("Users of ", StringComparison.Ordinal));
        var victims = UsersBotFixture.Actions(list.Card).Where(a => (string?)a["verb"] == UsersVerbs.Open).Skip(5).Take(2).Select(a => (string)a["data"]!["u"]!).ToList();
        var bulk = UsersBotFixture.ActionData(list.Card, UsersVerbs.Bulk);
        bulk[UsersCards.SelectedInput] = string.Join(',', victims);
        bulk[UsersCards.BulkActionInput] = DeleteUserRunner.Id;

        var started = await Bot.InvokeAsync(UsersVerbs.Bulk, bulk);
        var confirm = started.Posted.Single(c => c.Cards.Count > 0 && CardJson.Verbs(c.Card).Contains(OperationVerbs.Confirm));
        Assert.Contains("Confirm and ask for approval", confirm.CardText);
        var operationId = (string)UsersBotFixture.ActionData(confirm.Card, OperationVerbs.Confirm)["operationId"]!;
        var data = new JsonObject { ["operationId"] = operationId };

        await Bot.InvokeAsync(OperationVerbs.Confirm, data.DeepClone().AsObject(), replyToId: confirm.ActivityId);
        Assert.Equal(OperationState.AwaitingApproval, (await Store.GetAsync(Guid.Parse(operationId), Ct))!.State);
        await Bot.InvokeAsync(OperationVerbs.Approve, data.DeepClone().AsObject(), TestUsers.Tech);
        Assert.Equal(OperationState.AwaitingApproval, (await Store.GetAsync(Guid.Parse(operationId), Ct))!.State);
        Assert.All(victims, id => Assert.NotNull(tenant.FindUser(id)));

        await Bot.InvokeAsync(OperationVerbs.Approve, data.DeepClone().AsObject(), TestUsers.Approver);
        var done = await WaitForEndAsync(Guid.Parse(operationId));

        Assert.Equal(OperationState.Succeeded, done.State);
        Assert.Equal(TestUsers.Approver.AadObjectId, done.DecidedByAadObjectId);
        Assert.Equal(2, done.Results.Count);
        Assert.All(done.Results, r => Assert.Contains("restored from deleted users for 30 days", r.Message));
        Assert.All(victims, id => Assert.True(tenant.IsDeleted(id)));
    }

    [Fact]
    public async Task ReaderCannotStartADelete()
    {
        var list = (await Bot.SendAsync($"users {SeededTenants.ContosoDentalDomain}", from: TestUsers.SecondTech)).Single(r => r.CardText.Contains("Users of ", StringComparison.Ordinal));
        var victim = (string)UsersBotFixture.Actions(list.Card).First(a => (string?)a["verb"] == UsersVerbs.Open)["data"]!["u"]!;

        var answer = await Bot.InvokeAsync(UsersVerbs.Act, UsersCards.ActData(SeededTenants.ContosoDentalId, victim, DeleteUserRunner.Id), from: TestUsers.SecondTech);

        Assert.Contains("not done", answer.Message);
        Assert.NotNull(fixture.Emulator.State.Tenant(SeededTenants.ContosoDentalId).FindUser(victim));
    }

    private PendingOperationStore Store => fixture.Get<PendingOperationStore>();

    private Task<PendingOperation> WaitForEndAsync(Guid id) => fixture.WaitForEndAsync(id, TimeSpan.FromSeconds(30), Ct);
}
