using System.Text.Json.Nodes;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Postgres;

namespace CippUsers.Bot.Tests.Storage;

public sealed class PendingOperationStoreTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 30, 0, 123, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Create_then_get_round_trips_every_field(StorageProvider provider)
    {
        await using var storage = await TestStorage.FreshAsync(provider, postgres);
        var op = TestStorage.NewOperation(Now) with
        {
            RequestConversation = TestStorage.Channel("tenant-a"),
            RequestCardActivityId = "act-1",
            DecidedByAadObjectId = "aad-approver",
            DecidedByName = "Approver",
            DecidedAt = Now.AddMinutes(1),
            Results = [new("u1", "Jane Doe", true, "Disabled")],
            Parameters = new() { ["enabled"] = false, ["nested"] = new JsonObject { ["a"] = new JsonArray(1, 2) } },
        };

        await storage.Operations.CreateAsync(op, Ct);
        var stored = await storage.Operations.GetAsync(op.Id, Ct);

        Assert.NotNull(stored);
        Assert.Equal(1, stored.Version);
        Assert.Equal(op.Targets, stored.Targets);
        Assert.Equal(op.Results, stored.Results);
        Assert.Equal(op.RequestConversation, stored.RequestConversation);
        Assert.Equal(op.Parameters.ToJsonString(), stored.Parameters.ToJsonString());
        Assert.Equal(op.CreatedAt, stored.CreatedAt);
        Assert.Equal(op.ExpiresAt, stored.ExpiresAt);
        Assert.Equal(op.DecidedAt, stored.DecidedAt);
        Assert.Equal((op.TenantId, op.TenantName, op.ActionId, op.State, op.CorrelationId, op.DecidedByName),
            (stored.TenantId, stored.TenantName, stored.ActionId, stored.State, stored.CorrelationId, stored.DecidedByName));
        Assert.Null(stored.ApprovalConversation);
        Assert.Null(await storage.Operations.GetAsync(Guid.NewGuid(), Ct));
    }

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Transition_needs_the_expected_state_and_version(StorageProvider provider)
    {
        await using var storage = await TestStorage.FreshAsync(provider, postgres);
        var op = TestStorage.NewOperation(Now);
        await storage.Operations.CreateAsync(op, Ct);

        Assert.Null(await storage.Operations.TryTransitionAsync(op.Id, OperationState.AwaitingApproval, 1, o => o with { State = OperationState.Running }, Ct));
        Assert.Null(await storage.Operations.TryTransitionAsync(op.Id, OperationState.AwaitingConfirmation, 2, o => o with { State = OperationState.Running }, Ct));
        Assert.Null(await storage.Operations.TryTransitionAsync(Guid.NewGuid(), OperationState.AwaitingConfirmation, 1, o => o with { State = OperationState.Running }, Ct));

        var running = await storage.Operations.TryTransitionAsync(op.Id, OperationState.AwaitingConfirmation, 1,
            o => o with { State = OperationState.Running, DecidedByAadObjectId = "aad-tech-1", TenantId = "forged", Version = 99 }, Ct);

        Assert.NotNull(running);
        Assert.Equal((OperationState.Running, 2, "aad-tech-1", "tenant-a"), (running.State, running.Version, running.DecidedByAadObjectId, running.TenantId));
        // The same stale click again loses.
        Assert.Null(await storage.Operations.TryTransitionAsync(op.Id, OperationState.AwaitingConfirmation, 1, o => o with { State = OperationState.Cancelled }, Ct));
        Assert.Equal(OperationState.Running, (await storage.Operations.GetAsync(op.Id, Ct))!.State);
    }

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Fifty_concurrent_transitions_over_two_instances_have_exactly_one_winner(StorageProvider provider)
    {
        var location = await TestStorage.NewLocationAsync(provider, postgres);
        await using var first = await TestStorage.OpenAsync(provider, location);
        await using var second = await TestStorage.OpenAsync(provider, location);
        var op = TestStorage.NewOperation(Now);
        await first.Operations.CreateAsync(op, Ct);
        var winners = 0;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await go.Task;
            var store = i % 2 == 0 ? first.Operations : second.Operations;
            var result = await store.TryTransitionAsync(op.Id, OperationState.AwaitingConfirmation, 1,
                o => o with { State = OperationState.Running, DecidedByName = $"click {i}" }, Ct);
            if (result is not null)
                Interlocked.Increment(ref winners);
            return result;
        }, Ct)).ToArray();
        go.SetResult();
        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, winners);
        var stored = await second.Operations.GetAsync(op.Id, Ct);
        Assert.Equal((OperationState.Running, 2), (stored!.State, stored.Version));
        Assert.Equal(results.Single(r => r is not null)!.DecidedByName, stored.DecidedByName);
    }

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Card_ids_are_recorded_without_touching_state_and_survive_a_transition(StorageProvider provider)
    {
        await using var storage = await TestStorage.FreshAsync(provider, postgres);
        var op = TestStorage.NewOperation(Now);
        await storage.Operations.CreateAsync(op, Ct);
        var channel = TestStorage.Channel("tenant-a");

        Assert.True(await storage.Operations.SetRequestCardAsync(op.Id, channel, "activity-1", Ct));
        Assert.True(await storage.Operations.SetApprovalCardAsync(op.Id, channel with { ChannelId = "approvers" }, "activity-2", Ct));
        Assert.False(await storage.Operations.SetRequestCardAsync(Guid.NewGuid(), channel, "x", Ct));

        // A transition computed from a snapshot taken before the card was set must not erase it.
        var afterCard = await storage.Operations.TryTransitionAsync(op.Id, OperationState.AwaitingConfirmation, 1, o => o with { State = OperationState.AwaitingApproval }, Ct);
        Assert.NotNull(afterCard);
        Assert.Equal(2, afterCard.Version);
        Assert.Equal(("activity-1", "activity-2"), (afterCard.RequestCardActivityId, afterCard.ApprovalCardActivityId));
        Assert.Equal(channel, afterCard.RequestConversation);
        Assert.Equal("approvers", afterCard.ApprovalConversation!.ChannelId);
    }

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task List_filters_by_state_tenant_and_requester_newest_first(StorageProvider provider)
    {
        await using var storage = await TestStorage.FreshAsync(provider, postgres);
        var a1 = TestStorage.NewOperation(Now, "tenant-a", "tech-1");
        var a2 = TestStorage.NewOperation(Now.AddMinutes(1), "tenant-a", "tech-2", OperationState.AwaitingApproval);
        var b1 = TestStorage.NewOperation(Now.AddMinutes(2), "tenant-b", "tech-1", OperationState.AwaitingApproval);
        var a3 = TestStorage.NewOperation(Now.AddMinutes(3), "tenant-a", "tech-1", OperationState.Succeeded);
        foreach (var op in new[] { a1, a2, b1, a3 })
            await storage.Operations.CreateAsync(op, Ct);

        var all = await storage.Operations.ListAsync(new OperationQuery(), Ct);
        var approvals = await storage.Operations.ListAsync(new OperationQuery { States = [OperationState.AwaitingApproval] }, Ct);
        var tenantA = await storage.Operations.ListAsync(new OperationQuery { TenantIds = ["tenant-a"] }, Ct);
        var tech1Open = await storage.Operations.ListAsync(new OperationQuery
        {
            RequesterAadObjectId = "tech-1",
            States = [OperationState.AwaitingConfirmation, OperationState.AwaitingApproval],
        }, Ct);
        var limited = await storage.Operations.ListAsync(new OperationQuery { Limit = 2 }, Ct);
        var none = await storage.Operations.ListAsync(new OperationQuery { States = [] }, Ct);

        Assert.Equal([a3.Id, b1.Id, a2.Id, a1.Id], all.Select(o => o.Id));
        Assert.Equal([b1.Id, a2.Id], approvals.Select(o => o.Id));
        Assert.Equal([a3.Id, a2.Id, a1.Id], tenantA.Select(o => o.Id));
        Assert.Equal([b1.Id, a1.Id], tech1Open.Select(o => o.Id));
        Assert.Equal([a3.Id, b1.Id], limited.Select(o => o.Id));
        Assert.Empty(none);
    }

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Expiry_moves_only_waiting_operations_past_their_deadline(StorageProvider provider)
    {
        await using var storage = await TestStorage.FreshAsync(provider, postgres);
        var dueConfirm = TestStorage.NewOperation(Now, lifetime: TimeSpan.FromMinutes(5));
        var dueApproval = TestStorage.NewOperation(Now, state: OperationState.AwaitingApproval, lifetime: TimeSpan.FromMinutes(10));
        var notDue = TestStorage.NewOperation(Now, lifetime: TimeSpan.FromMinutes(30));
        var running = TestStorage.NewOperation(Now, state: OperationState.Running, lifetime: TimeSpan.FromMinutes(1));
        foreach (var op in new[] { dueConfirm, dueApproval, notDue, running })
            await storage.Operations.CreateAsync(op, Ct);

        var expired = await storage.Operations.ExpireDueAsync(Now.AddMinutes(10), Ct);
        var again = await storage.Operations.ExpireDueAsync(Now.AddMinutes(10), Ct);

        Assert.Equal(2, expired);
        Assert.Equal(0, again);
        Assert.Equal(OperationState.Expired, (await storage.Operations.GetAsync(dueConfirm.Id, Ct))!.State);
        Assert.Equal(OperationState.Expired, (await storage.Operations.GetAsync(dueApproval.Id, Ct))!.State);
        Assert.Equal(OperationState.AwaitingConfirmation, (await storage.Operations.GetAsync(notDue.Id, Ct))!.State);
        Assert.Equal(OperationState.Running, (await storage.Operations.GetAsync(running.Id, Ct))!.State);
        // A confirm click that read the operation before it expired now loses.
        Assert.Null(await storage.Operations.TryTransitionAsync(dueConfirm.Id, OperationState.AwaitingConfirmation, 1, o => o with { State = OperationState.Running }, Ct));
    }

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Secrets_in_parameters_are_refused_and_nothing_is_stored(StorageProvider provider)
    {
        await using var storage = await TestStorage.FreshAsync(provider, postgres);
        var op = TestStorage.NewOperation(Now) with { Parameters = new() { ["forceChangePasswordNextSignIn"] = true, ["profile"] = new JsonObject { ["newPassword"] = "Hunter2!x" } } };

        var error = await Assert.ThrowsAsync<SecretStorageException>(() => storage.Operations.CreateAsync(op, Ct));

        Assert.DoesNotContain("Hunter2", error.Message, StringComparison.Ordinal);
        Assert.Null(await storage.Operations.GetAsync(op.Id, Ct));

        var clean = TestStorage.NewOperation(Now);
        await storage.Operations.CreateAsync(clean, Ct);
        await Assert.ThrowsAsync<SecretStorageException>(() => storage.Operations.TryTransitionAsync(clean.Id, OperationState.AwaitingConfirmation, 1,
            o => o with { Parameters = new() { ["tap"] = "ABCD-1234" } }, Ct));
        Assert.Equal(1, (await storage.Operations.GetAsync(clean.Id, Ct))!.Version);
    }
}
