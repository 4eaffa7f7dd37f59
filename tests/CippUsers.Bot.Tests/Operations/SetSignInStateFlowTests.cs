using System.Text.Json.Nodes;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;

namespace CippUsers.Bot.Tests.Operations;

/// Set Sign-In State end to end: typed command → confirmation card → confirm (→ approval) → Hangfire job → Graph PATCH on
/// the emulator → card updated, helpdesk channel, audit log. Everything over real HTTP.
[Collection(SafetyCollection.Name)]
public sealed class SetSignInStateFlowTests(SafetyBotFixture fixture)
{
    private BotHarness Bot => fixture.Bot;

    [Fact]
    public async Task Disable_SingleUserThroughConfirm_DisablesAndReportsEverywhere()
    {
        var tenant = fixture.FirstTenant;
        var user = fixture.TakeUsers(tenant, 1)[0];
        var upn = Upn(user);

        var (cardCall, operationId) = await RequestAsync($"disable {upn}", TestUsers.Tech);
        Assert.Contains("Please confirm", cardCall.CardText);
        Assert.Contains(tenant.DisplayName, cardCall.CardText);
        Assert.Contains("Doesn't affect existing sessions", cardCall.CardText);
        Assert.Equal([OperationVerbs.Confirm, OperationVerbs.Cancel], CardJson.Verbs(cardCall.Card));
        Assert.True(fixture.IsEnabled(tenant, user));

        var confirm = await Bot.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.Tech, replyToId: cardCall.ActivityId);
        Assert.Equal(200, confirm.StatusCode);
        Assert.True(confirm.IsCard);

        var done = await WaitForStateAsync(operationId, OperationState.Succeeded);
        Assert.False(fixture.IsEnabled(tenant, user));
        Assert.Single(done.Results);
        Assert.True(done.Results[0].Succeeded);

        // The request card was updated in place with the result, for everyone.
        await WaitUntilAsync(() => Bot.Connector.Calls.Any(c => c.Kind == "update" && c.TargetActivityId == cardCall.ActivityId && c.CardText.Contains("✓ Done")));

        var audit = await fixture.Service<AuditLog>().QueryAsync(tenant.TenantId, null, 200, TestContext.Current.CancellationToken);
        var mine = audit.Where(e => e.OperationId == operationId).ToList();
        Assert.Contains(mine, e => e.Outcome == "requested" && e.ActorAadObjectId == TestUsers.Tech.AadObjectId);
        Assert.Contains(mine, e => e.Outcome == "confirmed");
        Assert.Contains(mine, e => e.Outcome == "succeeded" && e.TargetId == user["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Enable_BulkUnderThreshold_RunsEveryTargetAfterConfirm()
    {
        var tenant = fixture.FirstTenant;
        var users = fixture.TakeUsers(tenant, 2);
        var operations = fixture.Service<PendingOperationStore>();
        var graph = fixture.Service<UserOperations>();
        foreach (var u in users)
        {
            Assert.True((await graph.SetAccountEnabledAsync(tenant.TenantId, Id(u), false, TestContext.Current.CancellationToken)).Succeeded);
        }

        var (cardCall, operationId) = await RequestAsync($"enable {Upn(users[0])} {Upn(users[1])}", TestUsers.Tech);
        Assert.Contains("2 users", cardCall.CardText);
        await Bot.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.Tech, replyToId: cardCall.ActivityId);

        var done = await WaitForStateAsync(operationId, OperationState.Succeeded);
        Assert.Equal(2, done.Results.Count);
        Assert.All(users, u => Assert.True(fixture.IsEnabled(tenant, u)));
        Assert.Equal(OperationState.Succeeded, (await operations.GetAsync(operationId, TestContext.Current.CancellationToken))!.State);
    }

    [Fact]
    public async Task Disable_BulkOverThreshold_NeedsADifferentApprover()
    {
        var tenant = fixture.SecondTenant;
        var users = fixture.TakeUsers(tenant, 4);

        // An admin makes the helpdesk channel the place for this tenant's approvals and results.
        var notify = await SendOwnAsync($"notify here {tenant.DefaultDomain}", SafetyBotFixture.Admin, TestConversation.HelpdeskChannel);
        Assert.Contains(notify, c => c.Text?.Contains("helpdesk channel") == true);

        var (cardCall, operationId) = await RequestAsync($"disable {string.Join(' ', users.Select(Upn))}", TestUsers.Tech);
        Assert.Contains("approver", cardCall.CardText);

        var confirm = await Bot.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.Tech, replyToId: cardCall.ActivityId);
        Assert.Contains("Waiting for an approver", confirm.CardText);
        var approvalCard = Assert.Single(Bot.Connector.Calls, c => c.ConversationId == TestConversation.HelpdeskChannel.Id
            && CardJson.Verbs(c.Body).Contains(OperationVerbs.Approve) && c.CardText.Contains(TestUsers.Tech.Name) && c.CardText.Contains(tenant.DisplayName));

        // The requester cannot approve their own request, even holding the card.
        var own = await Bot.InvokeAsync(OperationVerbs.Approve, Data(operationId), TestUsers.Tech, TestConversation.HelpdeskChannel, approvalCard.ActivityId);
        Assert.Equal(403, own.StatusCode);
        // A helpdesk tech without the approver role cannot either.
        var other = await Bot.InvokeAsync(OperationVerbs.Approve, Data(operationId), TestUsers.SecondTech, TestConversation.HelpdeskChannel, approvalCard.ActivityId);
        Assert.Equal(403, other.StatusCode);
        Assert.Equal(OperationState.AwaitingApproval, (await GetAsync(operationId)).State);
        Assert.All(users, u => Assert.True(fixture.IsEnabled(tenant, u)));

        var approve = await Bot.InvokeAsync(OperationVerbs.Approve, Data(operationId), TestUsers.Approver, TestConversation.HelpdeskChannel, approvalCard.ActivityId);
        Assert.Equal(200, approve.StatusCode);
        var done = await WaitForStateAsync(operationId, OperationState.Succeeded);
        Assert.Equal(TestUsers.Approver.AadObjectId, done.DecidedByAadObjectId);
        Assert.All(users, u => Assert.False(fixture.IsEnabled(tenant, u)));

        // Requester's card and the channel's approval card both show the result.
        await WaitUntilAsync(() => Bot.Connector.Calls.Any(c => c.Kind == "update" && c.TargetActivityId == cardCall.ActivityId && c.CardText.Contains("4 of 4 succeeded")));
        await WaitUntilAsync(() => Bot.Connector.Calls.Any(c => c.Kind == "update" && c.ConversationId == TestConversation.HelpdeskChannel.Id && c.CardText.Contains("4 of 4 succeeded")));

        var audit = await fixture.Service<AuditLog>().QueryAsync(tenant.TenantId, null, 200, TestContext.Current.CancellationToken);
        Assert.Contains(audit, e => e.OperationId == operationId && e.Outcome == "approved" && e.ActorAadObjectId == TestUsers.Approver.AadObjectId);
        Assert.Contains(audit, e => e.OperationId == operationId && e.Outcome == "approval refused" && e.ActorAadObjectId == TestUsers.Tech.AadObjectId);
        Assert.Equal(4, audit.Count(e => e.OperationId == operationId && e.Outcome == "succeeded"));
    }

    [Fact]
    public async Task Result_IsPostedToTheTenantsHelpdeskChannel()
    {
        var tenant = fixture.SecondTenant;
        var user = fixture.TakeUsers(tenant, 1)[0];
        await SendOwnAsync($"notify here {tenant.DefaultDomain}", SafetyBotFixture.Admin, TestConversation.HelpdeskChannel);

        var (cardCall, operationId) = await RequestAsync($"disable {Upn(user)}", TestUsers.Tech);
        await Bot.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.Tech, replyToId: cardCall.ActivityId);
        await WaitForStateAsync(operationId, OperationState.Succeeded);

        await WaitUntilAsync(() => Bot.Connector.Calls.Any(c => c.Kind != "update" && c.ConversationId == TestConversation.HelpdeskChannel.Id
            && c.CardText.Contains("✓ Done") && c.CardText.Contains(user["displayName"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Confirm_ByAnotherTech_ExecutesNothing()
    {
        var tenant = fixture.FirstTenant;
        var user = fixture.TakeUsers(tenant, 1)[0];
        var (cardCall, operationId) = await RequestAsync($"disable {Upn(user)}", TestUsers.Tech);

        var forged = await Bot.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.SecondTech, replyToId: cardCall.ActivityId);
        Assert.Equal(403, forged.StatusCode);
        var cancel = await Bot.InvokeAsync(OperationVerbs.Cancel, Data(operationId), TestUsers.SecondTech, replyToId: cardCall.ActivityId);
        Assert.Equal(403, cancel.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal(OperationState.AwaitingConfirmation, (await GetAsync(operationId)).State);
        Assert.True(fixture.IsEnabled(tenant, user));
    }

    [Fact]
    public async Task Confirm_UnknownOrMalformedOperation_ExecutesNothing()
    {
        var unknown = await Bot.InvokeAsync(OperationVerbs.Confirm, Data(Guid.NewGuid()), TestUsers.Tech);
        Assert.Equal(404, unknown.StatusCode);
        var malformed = await Bot.InvokeAsync(OperationVerbs.Confirm, new JsonObject { ["operationId"] = "'; DROP TABLE pending_operations; --" }, TestUsers.Tech);
        Assert.Equal(404, malformed.StatusCode);
        var approve = await Bot.InvokeAsync(OperationVerbs.Approve, new JsonObject(), TestUsers.Approver);
        Assert.Equal(404, approve.StatusCode);
    }

    [Fact]
    public async Task Confirm_ReplayedAfterCompletion_ExecutesNothing()
    {
        var tenant = fixture.FirstTenant;
        var user = fixture.TakeUsers(tenant, 1)[0];
        var (cardCall, operationId) = await RequestAsync($"disable {Upn(user)}", TestUsers.Tech);
        await Bot.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.Tech, replyToId: cardCall.ActivityId);
        var done = await WaitForStateAsync(operationId, OperationState.Succeeded);

        // Someone re-enables the user; replaying the old confirm (double click, Teams retry, forged card) must not disable again.
        Assert.True((await fixture.Service<UserOperations>().SetAccountEnabledAsync(tenant.TenantId, Id(user), true, TestContext.Current.CancellationToken)).Succeeded);
        var replay = await Bot.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.Tech, replyToId: cardCall.ActivityId);
        Assert.Contains("✓ Done", replay.CardText);

        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.True(fixture.IsEnabled(tenant, user));
        var after = await GetAsync(operationId);
        Assert.Equal(done.Version, after.Version);
        var audit = await fixture.Service<AuditLog>().QueryAsync(tenant.TenantId, null, 500, TestContext.Current.CancellationToken);
        Assert.Single(audit, e => e.OperationId == operationId && e.Outcome == "succeeded");
    }

    [Fact]
    public async Task Confirm_ConcurrentDuplicates_RunOnce()
    {
        var tenant = fixture.FirstTenant;
        var user = fixture.TakeUsers(tenant, 1)[0];
        var (cardCall, operationId) = await RequestAsync($"disable {Upn(user)}", TestUsers.Tech);

        var clicks = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Bot.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.Tech, replyToId: cardCall.ActivityId)));
        Assert.All(clicks, c => Assert.Equal(200, c.StatusCode));

        await WaitForStateAsync(operationId, OperationState.Succeeded);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var audit = await fixture.Service<AuditLog>().QueryAsync(tenant.TenantId, null, 500, TestContext.Current.CancellationToken);
        Assert.Single(audit, e => e.OperationId == operationId && e.Outcome == "confirmed");
        Assert.Single(audit, e => e.OperationId == operationId && e.Outcome == "succeeded");
    }

    [Fact]
    public async Task Confirm_AfterExpiry_ShowsExpiredAndExecutesNothing()
    {
        var tenant = fixture.FirstTenant;
        var user = fixture.TakeUsers(tenant, 1)[0];
        var (cardCall, operationId) = await RequestAsync($"disable {Upn(user)}", TestUsers.Tech);

        // Time passes: the stored deadline is moved into the past (the card still looks clickable).
        var store = fixture.Service<PendingOperationStore>();
        var op = await GetAsync(operationId);
        Assert.NotNull(await store.TryTransitionAsync(operationId, op.State, op.Version, o => o with { ExpiresAt = o.CreatedAt.AddMinutes(-1) }, TestContext.Current.CancellationToken));

        var late = await Bot.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.Tech, replyToId: cardCall.ActivityId);
        Assert.Contains("Expired", late.CardText);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal(OperationState.Expired, (await GetAsync(operationId)).State);
        Assert.True(fixture.IsEnabled(tenant, user));
    }

    [Fact]
    public async Task Cancel_ByRequester_UpdatesCardAndExecutesNothing()
    {
        var tenant = fixture.FirstTenant;
        var user = fixture.TakeUsers(tenant, 1)[0];
        var (cardCall, operationId) = await RequestAsync($"signin disable {Upn(user)}", TestUsers.Tech);

        var cancel = await Bot.InvokeAsync(OperationVerbs.Cancel, Data(operationId), TestUsers.Tech, replyToId: cardCall.ActivityId);
        Assert.Contains($"Cancelled by {TestUsers.Tech.Name}", cancel.CardText);
        Assert.Contains(cancel.Posted, c => c.Kind == "update" && c.TargetActivityId == cardCall.ActivityId);
        var confirm = await Bot.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.Tech, replyToId: cardCall.ActivityId);
        Assert.Contains("Cancelled", confirm.CardText);
        Assert.Equal(OperationState.Cancelled, (await GetAsync(operationId)).State);
        Assert.True(fixture.IsEnabled(tenant, user));
    }

    [Fact]
    public async Task Disable_ByReader_IsRefusedBeforeAnyOperation()
    {
        var user = fixture.TakeUsers(fixture.FirstTenant, 1)[0];
        var replies = await SendOwnAsync($"disable {Upn(user)}", SafetyBotFixture.Reader);
        var refusal = Assert.Single(replies);
        Assert.Contains("needs the helpdesk role", refusal.CardText);
        Assert.Empty(CardJson.Verbs(refusal.Card));
        Assert.Empty(await fixture.Service<PendingOperationStore>().ListAsync(new OperationQuery { RequesterAadObjectId = SafetyBotFixture.Reader.AadObjectId }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Disable_TenantOutOfScope_IsRefused()
    {
        var user = fixture.TakeUsers(fixture.SecondTenant, 1)[0];
        var replies = await SendOwnAsync($"disable {Upn(user)}", SafetyBotFixture.Scoped);
        Assert.Contains("outside your tenant scope", Assert.Single(replies).CardText);
        Assert.True(fixture.IsEnabled(fixture.SecondTenant, user));

        var inScope = fixture.TakeUsers(fixture.FirstTenant, 1)[0];
        var (card, _) = await RequestAsync($"disable {Upn(inScope)}", SafetyBotFixture.Scoped);
        Assert.Contains("Please confirm", card.CardText);
    }

    [Fact]
    public async Task ActionWithoutRunner_IsRefusedAsNotAvailable()
    {
        var user = fixture.TakeUsers(fixture.FirstTenant, 1)[0];
        var replies = await SendOwnAsync($"reset password {Upn(user)}", TestUsers.Tech);
        Assert.Contains("not available yet", Assert.Single(replies).CardText);
        Assert.Empty(await fixture.Service<PendingOperationStore>().ListAsync(new OperationQuery { ActionId = "reset-password" }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Pending_ListsWhatTheApproverCanDecide()
    {
        var tenant = fixture.FirstTenant;
        var users = fixture.TakeUsers(tenant, 4);
        var (cardCall, operationId) = await RequestAsync($"disable {string.Join(' ', users.Select(Upn))} in {tenant.DisplayName}", TestUsers.SecondTech);
        await Bot.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.SecondTech, replyToId: cardCall.ActivityId);

        var approver = Assert.Single(await SendOwnAsync("pending", TestUsers.Approver));
        Assert.Contains(TestUsers.SecondTech.Name, approver.CardText);
        Assert.Contains(OperationVerbs.Approve, CardJson.Verbs(approver.Card));

        var requester = Assert.Single(await SendOwnAsync("pending", TestUsers.SecondTech));
        Assert.Contains("Nothing waits for your approval", requester.CardText);
        Assert.Contains("Waiting for an approver", requester.CardText);

        var reject = await Bot.InvokeAsync(OperationVerbs.Reject, Data(operationId), TestUsers.Approver);
        Assert.Contains($"Rejected by {TestUsers.Approver.Name}", reject.CardText);
        Assert.All(users, u => Assert.True(fixture.IsEnabled(tenant, u)));
    }

    [Fact]
    public async Task Audit_ShowsEntriesAndSendsCsvToThePrivateChat()
    {
        var tenant = fixture.FirstTenant;
        var user = fixture.TakeUsers(tenant, 1)[0];
        var (cardCall, operationId) = await RequestAsync($"disable {Upn(user)}", TestUsers.Tech);
        await Bot.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.Tech, replyToId: cardCall.ActivityId);
        await WaitForStateAsync(operationId, OperationState.Succeeded);

        var card = Assert.Single(await SendOwnAsync($"audit {tenant.DefaultDomain}", TestUsers.Tech, TestConversation.GroupChat));
        Assert.Contains("succeeded", card.CardText);
        Assert.Contains(OperationVerbs.AuditCsv, CardJson.Verbs(card.Card));

        var csvData = card.Card["actions"]!.AsArray().Single(a => a!["verb"]?.GetValue<string>() == OperationVerbs.AuditCsv)!["data"]!.AsObject();
        var csv = await Bot.InvokeAsync(OperationVerbs.AuditCsv, csvData, TestUsers.Tech, TestConversation.GroupChat);
        Assert.Contains("CSV", csv.Message);
        var sent = Assert.Single(csv.Posted, c => c.Kind != "update" && c.Text?.Contains("audit.csv") == true);
        Assert.Equal(TestConversation.PersonalWith(TestUsers.Tech).Id, sent.ConversationId);
        // Demo mode offers the file as a one-time download link on the bot host.
        var link = System.Text.RegularExpressions.Regex.Match(sent.Text!, @"\((http://127\.0\.0\.1:\d+/files/[^)]+)\)").Groups[1].Value;
        var file = await Bot.Http.GetStringAsync(new Uri(link), TestContext.Current.CancellationToken);
        Assert.StartsWith("time,actor,", file.TrimStart('\uFEFF'));
        Assert.Contains(operationId.ToString(), file);

        var refused = Assert.Single(await SendOwnAsync("audit", new TestUser("00000000-0000-0000-0000-0000000000ff", "Nobody", "29:nobody")));
        Assert.Contains("reader role", refused.CardText);
    }

    private Task<IReadOnlyList<ConnectorCall>> SendOwnAsync(string text, TestUser from, TestConversation? conversation = null)
        => OperationFlow.SendOwnAsync(Bot, text, from, conversation);

    private Task<(ConnectorCall Card, Guid OperationId)> RequestAsync(string text, TestUser from)
        => OperationFlow.RequestAsync(Bot, text, from);

    private async Task<PendingOperation> GetAsync(Guid id)
        => (await fixture.Service<PendingOperationStore>().GetAsync(id, TestContext.Current.CancellationToken))!;

    private async Task<PendingOperation> WaitForStateAsync(Guid id, OperationState state)
    {
        PendingOperation? op = null;
        await WaitUntilAsync(async () => (op = await GetAsync(id)).State == state || op.IsTerminal);
        Assert.True(state == op!.State, $"{op.State}: {string.Join("; ", op.Results.Select(r => r.Message))}");
        return op;
    }

    private static Task WaitUntilAsync(Func<bool> condition) => OperationFlow.WaitUntilAsync(condition);

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => OperationFlow.WaitUntilAsync(condition);

    private static JsonObject Data(Guid id) => OperationFlow.Data(id);

    private static string Upn(JsonObject user) => OperationFlow.Upn(user);

    private static string Id(JsonObject user) => OperationFlow.Id(user);
}
