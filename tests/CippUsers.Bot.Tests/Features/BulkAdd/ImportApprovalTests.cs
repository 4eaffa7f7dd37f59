using System.Text.Json.Nodes;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;

namespace CippUsers.Bot.Tests.Features.BulkAdd;

/// A bot whose approval threshold is 2 rows.
public sealed class ApprovalImportFixture : ImportBotFixture
{
    protected override void Configure(BotHarnessOptions options)
    {
        base.Configure(options);
        options.Settings["Approvals:BulkThreshold"] = "2";
    }
}

/// A large import needs an approver (Approvals:BulkThreshold): nothing runs on the requester's confirm, the requester
/// cannot approve their own request, another approver can.
public sealed class ImportApprovalTests(ApprovalImportFixture fixture) : IClassFixture<ApprovalImportFixture>
{
    [Fact]
    public async Task OverTheThreshold_WaitsForAnotherApprover_ThenRuns()
    {
        var domain = $"a{Guid.NewGuid():N}"[..10] + ".example";
        var preview = await fixture.PreviewAsync("bulk invite", fixture.Dental, $"displayName,mail\r\nA,a@{domain}\r\nB,b@{domain}\r\nC,c@{domain}\r\n", ("sendEmail", "false"));
        Assert.Contains("Needs an approver", preview.CardText, StringComparison.Ordinal);
        var id = ImportBotFixture.OperationIdOf(preview.Card);
        var before = fixture.Emulator.Journal.Count;

        var waiting = await fixture.InvokeAsync(ImportCards.ConfirmVerb, id, "activity-card");

        Assert.Contains("Waiting for an approver", waiting.CardText, StringComparison.Ordinal);
        var approvalCard = Assert.Single(waiting.Posted, c => c.CardText.Contains("Approve: Bulk invite guests", StringComparison.Ordinal));
        var data = new JsonObject { [ImportCards.OperationKey] = id };
        var self = await fixture.Bot.InvokeAsync(ImportCards.ApproveVerb, data, TestUsers.Tech, fixture.Conversation, approvalCard.ActivityId);
        Assert.Equal(403, self.StatusCode);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(fixture.Emulator.Journal.Entries.Skip(before), e => e.Path == "/v1.0/invitations");

        var approved = await fixture.Bot.InvokeAsync(ImportCards.ApproveVerb, data, TestUsers.Approver, fixture.Conversation, approvalCard.ActivityId);
        Assert.Contains("Approved", approved.CardText, StringComparison.Ordinal);
        var op = await fixture.WaitAsync(Guid.Parse(id), TimeSpan.FromSeconds(30));

        Assert.Equal(OperationState.Succeeded, op.State);
        Assert.Equal(TestUsers.Approver.AadObjectId, op.DecidedByAadObjectId);
        Assert.Equal(3, fixture.Emulator.Journal.Entries.Skip(before).Count(e => e.Path == "/v1.0/invitations" && e.Status == 201));
    }
}
