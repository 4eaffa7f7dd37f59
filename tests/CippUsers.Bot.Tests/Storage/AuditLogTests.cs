using System.Reflection;
using System.Text.Json.Nodes;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Postgres;
using Dapper;

namespace CippUsers.Bot.Tests.Storage;

public sealed class AuditLogTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditEntry Entry(int minute, string tenant, string actorId, string actorName, string? targetId, string? targetName, string outcome = "Succeeded") =>
        new(0, Now.AddMinutes(minute), actorId, actorName, tenant, "set-sign-in-state", targetId, targetName, outcome, "detail",
            new JsonObject { ["enabled"] = false }, $"corr-{minute}", Guid.NewGuid());

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Query_and_stream_filter_by_tenant_and_by_target_or_actor_newest_first(StorageProvider provider)
    {
        await using var storage = await TestStorage.FreshAsync(provider, postgres);
        await storage.Audit.AppendAsync(Entry(0, "tenant-a", "aad-1", "Alice Tech", "u-jane", "jane@contoso.com"), Ct);
        await storage.Audit.AppendAsync(Entry(1, "tenant-a", "aad-2", "Bob Tech", "u-tom", "tom@contoso.com"), Ct);
        await storage.Audit.AppendAsync(Entry(2, "tenant-b", "aad-1", "Alice Tech", "u-kim", "kim_100%@fabrikam.com"), Ct);
        await storage.Audit.AppendAsync(Entry(3, "tenant-a", "aad-1", "Alice Tech", null, null, "Confirmed"), Ct);

        var all = await storage.Audit.QueryAsync(null, null, 100, Ct);
        var tenantA = await storage.Audit.QueryAsync("tenant-a", null, 100, Ct);
        var jane = await storage.Audit.QueryAsync(null, "JANE", 100, Ct);
        var alice = await storage.Audit.QueryAsync(null, "aad-1", 100, Ct);
        var aliceByName = await storage.Audit.QueryAsync("tenant-a", "alice", 100, Ct);
        var literalPercent = await storage.Audit.QueryAsync(null, "100%", 100, Ct);
        var wildcardIsLiteral = await storage.Audit.QueryAsync(null, "%", 100, Ct);
        var latestTwo = await storage.Audit.QueryAsync(null, null, 2, Ct);
        var streamed = new List<AuditEntry>();
        await foreach (var e in storage.Audit.StreamAsync("tenant-a", null, Ct))
            streamed.Add(e);

        Assert.Equal(["corr-3", "corr-2", "corr-1", "corr-0"], all.Select(e => e.CorrelationId));
        Assert.True(all.Select(e => e.Id).SequenceEqual(all.Select(e => e.Id).OrderDescending()));
        Assert.Equal(["corr-3", "corr-1", "corr-0"], tenantA.Select(e => e.CorrelationId));
        Assert.Equal(["corr-0"], jane.Select(e => e.CorrelationId));
        Assert.Equal(["corr-3", "corr-2", "corr-0"], alice.Select(e => e.CorrelationId));
        Assert.Equal(["corr-3", "corr-0"], aliceByName.Select(e => e.CorrelationId));
        Assert.Equal(["corr-2"], literalPercent.Select(e => e.CorrelationId));
        Assert.Equal(["corr-2"], wildcardIsLiteral.Select(e => e.CorrelationId));
        Assert.Equal(["corr-3", "corr-2"], latestTwo.Select(e => e.CorrelationId));
        Assert.Equal(tenantA.Select(e => e.Id), streamed.Select(e => e.Id));
        var first = all[^1];
        Assert.Equal((Now, "aad-1", "Alice Tech", "u-jane", "jane@contoso.com", "Succeeded", "detail"),
            (first.At, first.ActorAadObjectId, first.ActorName, first.TargetId, first.TargetName, first.Outcome, first.Detail));
        Assert.Equal("""{"enabled":false}""", first.Parameters!.ToJsonString());
        Assert.NotNull(first.OperationId);
    }

    [Fact]
    public void Audit_log_has_no_update_or_delete_method()
    {
        var methods = typeof(AuditLog).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => m.Name).ToHashSet();

        Assert.Equal(["AppendAsync", "QueryAsync", "StreamAsync"], methods.Order());
    }

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Database_refuses_to_change_or_remove_audit_entries(StorageProvider provider)
    {
        await using var storage = await TestStorage.FreshAsync(provider, postgres);
        await storage.Audit.AppendAsync(Entry(0, "tenant-a", "aad-1", "Alice", "u-jane", "jane"), Ct);
        await using var connection = await storage.Database.OpenAsync(Ct);

        var update = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("UPDATE audit_log SET outcome = 'Forged'"));
        var delete = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("DELETE FROM audit_log"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        if (provider == StorageProvider.Postgres)
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("TRUNCATE audit_log"));

        var entries = await storage.Audit.QueryAsync(null, null, 10, Ct);
        Assert.Equal("Succeeded", Assert.Single(entries).Outcome);
    }

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Secrets_in_audit_parameters_are_refused(StorageProvider provider)
    {
        await using var storage = await TestStorage.FreshAsync(provider, postgres);
        var entry = Entry(0, "tenant-a", "aad-1", "Alice", "u-jane", "jane") with { Parameters = new() { ["temporaryAccessPass"] = "ABCD" } };

        await Assert.ThrowsAsync<SecretStorageException>(() => storage.Audit.AppendAsync(entry, Ct));

        Assert.Empty(await storage.Audit.QueryAsync(null, null, 10, Ct));
    }
}
