using System.Text.Json.Nodes;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Bot.Tests.Postgres;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CippUsers.Bot.Tests.Operations.OperationFlow;

namespace CippUsers.Bot.Tests.Operations;

/// Two bot instances (own Kestrel, own Hangfire server) on one PostgreSQL database and one tenant emulator: the same
/// Confirm click arriving 50 times at once, spread over both instances, runs the operation exactly once.
public sealed class ExactlyOnceAcrossInstancesTests(PostgresServer postgres)
{
    private const int Clicks = 50;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Confirm_50ConcurrentDuplicatesOverTwoInstances_RunsOnce()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var storage = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:PostgresConnectionString"] = connectionString,
        };
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false });
        // One after the other: the first applies the migrations and Hangfire's schema, the second finds them done.
        await using var hostA = await SafetyBotFixture.StartBotAsync(emulator, storage);
        await using var hostB = await SafetyBotFixture.StartBotAsync(emulator, storage);

        var tenant = emulator.Tenants[0];
        var users = SafetyBotFixture.EligibleUsers(emulator, tenant).Take(2).ToList();
        Assert.Equal(2, users.Count);
        var (cardCall, operationId) = await RequestAsync(hostA, $"disable {Upn(users[0])} {Upn(users[1])}", TestUsers.Tech);
        Assert.Contains("Please confirm", cardCall.CardText);

        // The same tech's click on the same card, delivered 50 times (double clicks, Teams retries, both instances).
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clicks = Enumerable.Range(0, Clicks).Select(async i =>
        {
            await start.Task;
            var host = i % 2 == 0 ? hostA : hostB;
            return await host.InvokeAsync(OperationVerbs.Confirm, Data(operationId), TestUsers.Tech, replyToId: cardCall.ActivityId);
        }).ToList();
        start.SetResult();
        var answers = await Task.WhenAll(clicks);

        // Every click is answered with the decided card ("confirmed by", no Confirm button), never an error or a
        // fresh confirmation card that could be clicked again.
        Assert.All(answers, a =>
        {
            Assert.Equal(200, a.StatusCode);
            Assert.True(a.IsCard, a.ToString());
            Assert.DoesNotContain(OperationVerbs.Confirm, CardJson.Verbs(a.Card));
            Assert.Contains($"confirmed by {TestUsers.Tech.Name}", a.CardText, StringComparison.Ordinal);
        });

        var operations = hostA.Services.GetRequiredService<PendingOperationStore>();
        PendingOperation? op = null;
        await WaitUntilAsync(async () => (op = await operations.GetAsync(operationId, Ct))!.IsTerminal);
        Assert.Equal(OperationState.Succeeded, op!.State);
        Assert.Equal(2, op.Results.Count);
        Assert.All(op.Results, r => Assert.True(r.Succeeded, r.Message));
        Assert.All(users, u => Assert.False(SafetyBotFixture.IsEnabled(emulator, tenant, u)));

        // Exactly one click won the compare-and-swap: only the winner writes the decision and enqueues the job.
        var audit = await hostB.Services.GetRequiredService<AuditLog>().QueryAsync(tenant.TenantId, null, 500, Ct);
        var mine = audit.Where(e => e.OperationId == operationId).ToList();
        Assert.Single(mine, e => e.Outcome == "requested");
        Assert.Single(mine, e => e.Outcome == "confirmed");
        foreach (var user in users)
        {
            Assert.Single(mine, e => e.TargetId == Id(user) && e.Outcome == "succeeded");
        }

        Assert.DoesNotContain(mine, e => e.Outcome is not ("requested" or "confirmed" or "succeeded"));
        Assert.Equal(1, await HangfireJobCountAsync(connectionString));

        // The tenant saw one PATCH per target user and no other change.
        var patches = emulator.Journal.Entries.Where(e => e.Method == "PATCH").ToList();
        foreach (var user in users)
        {
            Assert.Single(patches, e => e.TenantId == tenant.TenantId && e.Path.EndsWith("/users/" + Id(user), StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal(users.Count, patches.Count);
    }

    private static async Task<long> HangfireJobCountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM hangfire.job", connection);
        return (long)(await count.ExecuteScalarAsync(Ct))!;
    }
}
