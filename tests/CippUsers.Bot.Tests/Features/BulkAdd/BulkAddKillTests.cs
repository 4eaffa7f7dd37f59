using System.Diagnostics;
using System.Text;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Bot.Tests.Jobs;
using CippUsers.Bot.Tests.Postgres;
using CippUsers.Bot.Tests.Storage;
using CippUsers.TenantEmulator;

namespace CippUsers.Bot.Tests.Features.BulkAdd;

/// Issue 7, "resume after a process kill": a bulk add runs in a real bot process that is killed (whole process tree)
/// while creates are in flight; a bot started again on the same database finishes it, and no user is created twice.
public sealed class BulkAddKillTests(PostgresServer postgres)
{
    private const int RowCount = 300;
    private const int KillAfterCreates = 40;
    private const string Domain = SeededTenants.ContosoDentalDomain;

    /// Every Graph request waits this long, so a batch's creates and its rows' follow-up steps (manager: a lookup and a
    /// write; group: memberships and a batch) each take a while: the kill lands between "created in the tenant" and "recorded in the database".
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ResumedLatency = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task KilledMidBatch_ABotStartedAgainFinishes_EveryRowCreatedExactlyOnce(StorageProvider provider)
    {
        var location = provider == StorageProvider.Postgres ? await postgres.CreateDatabaseAsync() : null;
        await using var fixture = new RestartableImportFixture(location);
        await fixture.InitializeAsync();
        var tenant = fixture.Emulator.State.Tenant(fixture.Dental.TenantId);
        var manager = tenant.Users().First(u => u["userType"]?.GetValue<string>() != "Guest")["userPrincipalName"]!.GetValue<string>();
        var managerId = tenant.FindUser(manager)!["id"]!.GetValue<string>();
        var group = tenant.Groups().First(g => g["groupTypes"]!.AsArray().Count == 0 && g["mailEnabled"]?.GetValue<bool>() != true && g["onPremisesSyncEnabled"]?.GetValue<bool>() != true);
        var groupId = group["id"]!.GetValue<string>();
        var p = "k" + Guid.NewGuid().ToString("N")[..6];
        string Upn(int index) => $"{p}{index}@{Domain}";
        var csv = new StringBuilder("mailNickName,displayName,domain,manager,groups\r\n");
        for (var i = 0; i < RowCount; i++)
            csv.Append(p).Append(i).Append(",Kill Test ").Append(i).Append(',').Append(Domain).Append(',').Append(manager).Append(',').Append(group["displayName"]).Append("\r\n");
        var usersBefore = tenant.UserCount;

        // 1–2. The bot without a job server previews and confirms: the job is only enqueued.
        var phases = Stopwatch.StartNew();
        var preview = await fixture.PreviewAsync("bulk add", fixture.Dental, csv.ToString());
        Assert.True(preview.IsCard, preview.ToString());
        var id = Guid.Parse(ImportBotFixture.OperationIdOf(preview.Card));
        var confirmed = await fixture.InvokeAsync(ImportCards.ConfirmVerb, id.ToString(), "activity-card");
        Assert.True(confirmed.IsCard, confirmed.ToString());
        Assert.All(await fixture.RowsAsync(id), r => Assert.Equal(ImportRowState.Pending, r.State));
        Assert.DoesNotContain(fixture.Emulator.Journal.Entries, IsCreate);

        var previewed = phases.Elapsed;

        // 3. A child process runs the real bot with a job server on the same database and picks the job up.
        var realism = tenant.Realism;
        realism.Latency = Latency;
        tenant.SetRealism(realism);
        var start = fixture.Emulator.Journal.Count;
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        DateTimeOffset killedWhen;
        HashSet<string> existedAtKill;
        using (var child = JobTestHost.StartChild(fixture.BotSettings(runServer: true), new Dictionary<string, string>(), output, ChildHost.Bot))
        {
            try
            {
                // 4. Once the journal shows enough creates, killed at a moment when the database has rows in flight whose
                // users exist (their follow-up steps are running) and rows in flight whose batch has not reached Graph yet;
                // checked again on the frozen process, so the kill lands exactly there.
                async Task<bool> MidBatchAsync()
                {
                    var inFlight = (await fixture.RowsAsync(id)).Where(r => r.State == ImportRowState.InFlight).ToList();
                    var notCreated = inFlight.Count(r => tenant.FindUser(Upn(r.Index)) is null);
                    return notCreated > 0 && notCreated < inFlight.Count;
                }
                await WaitUntilAsync(async () =>
                {
                    if (fixture.Emulator.Journal.Entries.Skip(start).Count(IsCreate) < KillAfterCreates || !await MidBatchAsync())
                        return false;
                    JobTestHost.Freeze(child);
                    if (await MidBatchAsync())
                        return true;
                    JobTestHost.Resume(child);
                    return false;
                }, child, output);
            }
            finally
            {
                JobTestHost.Freeze(child);
                killedWhen = TimeProvider.System.GetUtcNow();
                existedAtKill = [.. tenant.Users().Select(u => u["userPrincipalName"]!.GetValue<string>())];
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync(Ct);
            }
        }
        var killedAt = clock.Elapsed;
        var killed = Stopwatch.StartNew();
        var createdAtKill = fixture.Emulator.Journal.Entries.Skip(start).Count(IsCreate);

        // The database as the dead process left it. Rows in flight whose users existed when it stopped were created and not
        // recorded; the others were in a batch on its way (Graph, like the emulator, may still finish a request whose caller
        // is gone) or not sent yet.
        var interrupted = await fixture.RowsAsync(id);
        var inFlight = interrupted.Where(r => r.State == ImportRowState.InFlight).ToList();
        var recoverable = inFlight.Where(r => existedAtKill.Contains(Upn(r.Index))).Select(r => r.Index).ToHashSet();
        var onTheirWay = inFlight.Where(r => !recoverable.Contains(r.Index)).Select(r => r.Index).ToList();
        Report($"{provider}: preview and confirm took {previewed.TotalMilliseconds:N0} ms");
        Report($"{provider}: killed {killedAt.TotalMilliseconds:N0} ms after the child started, {createdAtKill} users created; rows: "
            + $"{interrupted.Count(r => r.State == ImportRowState.Succeeded)} succeeded, {inFlight.Count} in flight ({recoverable.Count} created but not recorded, "
            + $"{onTheirWay.Count} on their way), {interrupted.Count(r => r.State == ImportRowState.Pending)} pending");
        Assert.InRange(createdAtKill, KillAfterCreates, RowCount - 1);
        Assert.Equal(OperationState.Running, (await fixture.Get<PendingOperationStore>().GetAsync(id, Ct))!.State);
        Assert.True(recoverable.Count > 0, "The kill should land after some creates of a batch and before their rows were recorded.");
        // The slow Graph served its purpose (a kill mid-batch); the rest runs at a brisker pace to keep the test short.
        realism.Latency = ResumedLatency;
        tenant.SetRealism(realism);

        // 5. A bot with a job server on the same database (in this process) resumes the job.
        await using var resumed = await BotHarness.StartAsync(options =>
        {
            options.Tenants.Clear();
            foreach (var (key, value) in fixture.BotSettings(runServer: true))
                options.Settings[key] = value;
            options.Connector = fixture.Bot.Connector;
        });
        var botStarted = killed.Elapsed;
        var op = await fixture.WaitAsync(id, Patience);
        var finished = killed.Elapsed;
        // The resumed run's first Graph call is its look-up of the rows left in flight.
        var lookup = fixture.Emulator.Journal.Entries.Skip(start).FirstOrDefault(e => e.At > killedWhen && e.Method == "GET" && e.Path == "/v1.0/users" && e.BatchItem);
        Assert.NotNull(lookup);
        // What the killed process created: every create before that look-up (the new run creates only after it).
        var createsBeforeRestart = fixture.Emulator.Journal.Entries.Skip(start).Count(e => IsCreate(e) && e.At < lookup.At);
        var landedAfterKill = fixture.Emulator.Journal.Entries.Skip(start).Count(e => IsCreate(e) && e.At > killedWhen && e.At < lookup.At);
        Report($"{provider}: kill to finished operation {finished.TotalMilliseconds:N0} ms: new bot started at {botStarted.TotalMilliseconds:N0} ms, "
            + $"job resumed (in-flight look-up) at {(lookup.At - killedWhen).TotalMilliseconds:N0} ms "
            + $"(a dead process's job and lock are handed over after {RestartableImportFixture.HandOver.TotalSeconds:N0} s)");

        var rows = await fixture.RowsAsync(id);
        var resent = onTheirWay.Count(i => rows[i].Detail == "Created");
        Report($"{provider}: of the {onTheirWay.Count} rows on their way at the kill, {onTheirWay.Count - resent} were created by a request that landed "
            + $"after the process died ({landedAfterKill} such creates) and found by the look-up, {resent} were sent again");

        // 6. Succeeded; every row has its object id; every UPN exists exactly once with its manager and group (steps
        // that already ran in the killed process ran again harmlessly); 300 creates in all.
        Assert.Equal(OperationState.Succeeded, op.State);
        Assert.Equal(RowCount, rows.Count);
        var users = tenant.Users();
        var members = tenant.GroupMemberIds(groupId).ToHashSet();
        foreach (var row in rows)
        {
            Assert.True(row.State == ImportRowState.Succeeded, $"Row {row.Index}: {row.State} {row.Detail}");
            var matches = users.Where(u => string.Equals(u["userPrincipalName"]?.GetValue<string>(), Upn(row.Index), StringComparison.OrdinalIgnoreCase)).ToList();
            var user = Assert.Single(matches);
            Assert.Equal(user["id"]!.GetValue<string>(), row.ObjectId);
            Assert.Equal(managerId, tenant.ManagerIdOf(row.ObjectId!));
            Assert.Contains(row.ObjectId!, members);
            // Created by the killed process but not recorded: looked up after the restart, not created again.
            if (recoverable.Contains(row.Index))
                Assert.Equal("Created before the bot restarted", row.Detail);
        }
        Assert.Equal(usersBefore + RowCount, tenant.UserCount);
        // The journal names no UPN: each 201 is one new user, there are exactly 300 and 300 distinct users with these
        // UPNs (and no delete), so each UPN was created exactly once; no create was refused (a second create of a UPN).
        var journal = fixture.Emulator.Journal.Entries.Skip(start).ToList();
        var creates = journal.Where(e => e.Method == "POST" && e.Path == "/v1.0/users").ToList();
        Assert.All(creates, c => Assert.Equal(201, c.Status));
        Assert.Equal(RowCount, creates.Count);
        Assert.DoesNotContain(journal, e => e.Method == "DELETE");

        // The tech gets the results: the request card edited to "finished", and the file with one line per row; only
        // users created after the restart have a password (the killed process's generated passwords died with it).
        // (Both come after the operation's state changed, so they are waited for.)
        var file = (await fixture.DownloadResultsAsync("bulk-add-")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        ConnectorCall? results;
        var waited = Stopwatch.StartNew();
        while ((results = fixture.Bot.Connector.Calls.LastOrDefault(c => c.TargetActivityId == "activity-card" && c.CardText.Contains(": finished", StringComparison.Ordinal))) is null)
        {
            Assert.True(waited.Elapsed < Patience, "The results card was not posted.");
            await Task.Delay(50, Ct);
        }
        Assert.Contains("was sent to you in a private chat", results.CardText, StringComparison.Ordinal);
        Assert.Contains($"Succeeded\n{RowCount}", results.CardText, StringComparison.Ordinal);
        Assert.Equal(RowCount + 1, file.Length);
        var lines = file.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(lines, l => Assert.Equal("Succeeded", l[1]));
        Assert.Equal(rows.Select(r => (Upn(r.Index), r.ObjectId)).Order(), lines.Select(l => (l[3], (string?)l[5])).Order());
        var withoutPassword = lines.Count(l => string.Join(',', l[6..]).StartsWith("(not available: the bot restarted", StringComparison.Ordinal));
        Assert.Equal(createsBeforeRestart, withoutPassword);
    }

    private static bool IsCreate(JournalEntry e) => e.Method == "POST" && e.Path == "/v1.0/users" && e.Status == 201;

    /// Polls <paramref name="condition"/> every few milliseconds; fails with the child's output if it exits or takes too long.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Process child, StringBuilder output)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (child.HasExited || watch.Elapsed > Patience)
            {
                lock (output)
                    Assert.Fail($"The child bot {(child.HasExited ? "exited" : "timed out")} before the moment to kill it:\n{output}");
            }
            await Task.Delay(5, Ct);
        }
    }

    private static void Report(string message)
    {
        TestContext.Current.SendDiagnosticMessage(message);
        TestContext.Current.TestOutputHelper?.WriteLine(message);
    }
}

/// The import bot without a job server (it only enqueues) on a fresh database, SQLite or the given PostgreSQL one, and
/// the same settings for other bot instances on that database, in this process or a child. A killed process's job and
/// operation lock are handed over after <see cref="HandOver"/>.
internal sealed class RestartableImportFixture(string? postgresConnectionString) : ImportBotFixture
{
    public static readonly TimeSpan HandOver = TimeSpan.FromSeconds(2);

    private Dictionary<string, string?> settings = [];

    protected override void Configure(BotHarnessOptions options)
    {
        base.Configure(options);
        if (postgresConnectionString is not null)
        {
            options.Settings.Remove("Storage:SqlitePath");
            options.Settings["Storage:Provider"] = "Postgres";
            options.Settings["Storage:PostgresConnectionString"] = postgresConnectionString;
        }
        options.Settings["Jobs:InvisibilityTimeout"] = HandOver.ToString();
        options.Settings["Jobs:DistributedLockLifetime"] = HandOver.ToString();
        options.Settings["Jobs:OperationLockTimeout"] = "00:00:15";
        options.Settings["Jobs:ShutdownTimeout"] = "00:00:02";
        options.Settings["Jobs:WorkerCount"] = "1";
        settings = new(options.Settings);
        for (var i = 0; i < options.Tenants.Count; i++)
        {
            settings[$"Graph:Tenants:{i}:TenantId"] = options.Tenants[i].TenantId;
            settings[$"Graph:Tenants:{i}:DisplayName"] = options.Tenants[i].DisplayName;
            settings[$"Graph:Tenants:{i}:DefaultDomain"] = options.Tenants[i].DefaultDomain;
        }
        options.Settings["Jobs:RunServer"] = "false";
    }

    /// Every setting of this fixture's bot (Graph:Tenants included), with or without a job server.
    public Dictionary<string, string?> BotSettings(bool runServer) => new(settings) { ["Jobs:RunServer"] = runServer ? "true" : "false" };
}
