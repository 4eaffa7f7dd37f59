using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Features.BulkAdd;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Bot.Tests.Features.BulkAdd;

/// Validation at preview, follow-up steps and partial failures, throttling and faults at the emulator with zero lost rows,
/// 5,000 rows, and resuming after a crash without creating a row twice.
public sealed class BulkAddJobTests(ImportBotFixture fixture) : IClassFixture<ImportBotFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Domain = SeededTenants.ContosoDentalDomain;

    [Fact]
    public async Task Preview_ListsEveryRowError_WithItsLine_AndCreatesOnlyTheValidRows()
    {
        var p = Prefix();
        var existing = fixture.Emulator.State.Tenant(fixture.Dental.TenantId).Users()[0]["userPrincipalName"]!.GetValue<string>();
        var csv = $"""
            mailNickName,displayName,domain,JobTitle,usageLocation,licenses,password
            {p}ok,Valid Row,{Domain},,,,
            ,No Username,{Domain},,,,
            {p} bad,Bad Chars,{Domain},,,,
            {p}dom,Unknown Domain,nowhere.example,,,,
            {p}ok,Duplicate,{Domain},,,,
            {existing.Split('@')[0]},Existing,{existing.Split('@')[1]},,,,
            {p}long,Too Long,{Domain},{new string('x', 129)},,,
            {p}loc,Bad Location,{Domain},,USA,,
            {p}lic,Bad License,{Domain},,US,NOPE_SKU,
            {p}pwd,Weak Password,{Domain},,,,abc
            """;
        var before = fixture.Emulator.Journal.Count;

        var preview = await fixture.PreviewAsync("bulk add", fixture.Dental, csv);

        var text = preview.CardText;
        Assert.Contains("Line 3: Missing required field: username", text, StringComparison.Ordinal);
        Assert.Contains("Line 4: Username may hold only", text, StringComparison.Ordinal);
        Assert.Contains("Line 5: Unknown domain nowhere.example", text, StringComparison.Ordinal);
        Assert.Contains($"Line 6: Duplicate in the file: {p}ok@{Domain} is also on line 2", text, StringComparison.Ordinal);
        Assert.Contains($"Line 7: {existing} already exists in the tenant", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Line 8: Job title can be at most 128 characters", text, StringComparison.Ordinal);
        Assert.Contains("Line 9: Usage location “USA” is not a two-letter country code", text, StringComparison.Ordinal);
        Assert.Contains("Line 10: Unknown license “NOPE_SKU”", text, StringComparison.Ordinal);
        Assert.Contains("Line 11: Password:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Line 2:", text, StringComparison.Ordinal);
        // The existence check is one batched lookup, and nothing was written before the confirm.
        var calls = fixture.Emulator.Journal.Entries.Skip(before).ToList();
        Assert.DoesNotContain(calls, c => c.Method != "GET" && c.Path != "/v1.0/$batch");
        Assert.Single(calls, c => c.BatchItem && c.Path.StartsWith("/v1.0/users", StringComparison.Ordinal) && c.Method == "GET");

        var id = ImportBotFixture.OperationIdOf(preview.Card);
        await fixture.InvokeAsync(ImportCards.ConfirmVerb, id, "activity-card");
        var op = await fixture.WaitAsync(Guid.Parse(id), TimeSpan.FromSeconds(30));
        Assert.Equal(OperationState.PartlySucceeded, op.State);
        var rows = await fixture.RowsAsync(op.Id);
        Assert.Equal(ImportRowState.Succeeded, rows[0].State);
        Assert.All(rows.Skip(1), r => Assert.Equal(ImportRowState.Invalid, r.State));
        Assert.NotNull(fixture.Emulator.State.Tenant(fixture.Dental.TenantId).FindUser($"{p}ok@{Domain}"));
        Assert.Null(fixture.Emulator.State.Tenant(fixture.Dental.TenantId).FindUser($"{p}long@{Domain}"));
    }

    [Fact]
    public async Task FollowUpSteps_RunPerRow_AndAFailedStepIsAPartialSuccessWithItsReason()
    {
        var p = Prefix();
        var tenant = fixture.Emulator.State.Tenant(fixture.Dental.TenantId);
        var sku = tenant.SubscribedSkus().First(s => s["prepaidUnits"]!["enabled"]!.GetValue<int>() - s["consumedUnits"]!.GetValue<int>() >= 2);
        var group = tenant.Groups().First(g => g["groupTypes"]!.AsArray().Count == 0 && g["mailEnabled"]?.GetValue<bool>() != true && g["onPremisesSyncEnabled"]?.GetValue<bool>() != true);
        var manager = tenant.Users().First(u => u["userType"]?.GetValue<string>() != "Guest")["userPrincipalName"]!.GetValue<string>();
        var csv = $"""
            mailNickName,displayName,domain,usageLocation,licenses,groups,manager
            {p}a,Full Steps,{Domain},US,{sku["skuPartNumber"]},{group["displayName"]},{manager}
            {p}b,Missing Manager,{Domain},US,,,nobody-{p}@{Domain}
            """;

        var (op, _) = await fixture.RunAsync("bulk add", fixture.Dental, csv);

        Assert.Equal(OperationState.PartlySucceeded, op.State);
        var rows = await fixture.RowsAsync(op.Id);
        Assert.Equal(ImportRowState.Succeeded, rows[0].State);
        Assert.Equal(ImportRowState.PartlySucceeded, rows[1].State);
        Assert.Contains("Manager", rows[1].Detail, StringComparison.Ordinal);
        var created = tenant.FindUser($"{p}a@{Domain}")!;
        Assert.Contains(created["assignedLicenses"]!.AsArray(), l => l!["skuId"]!.GetValue<string>() == sku["skuId"]!.GetValue<string>());
        Assert.Contains(created["id"]!.GetValue<string>(), tenant.GroupMemberIds(group["id"]!.GetValue<string>()));
        Assert.Equal(tenant.FindUser(manager)!["id"]!.GetValue<string>(), tenant.ManagerIdOf(created["id"]!.GetValue<string>()));
        Assert.NotNull(tenant.FindUser($"{p}b@{Domain}"));
    }

    [Fact]
    public async Task ThrottledAtTheEmulatorsBudget_EveryRowIsCreatedOnce()
    {
        var p = Prefix();
        var tenant = fixture.Emulator.State.Tenant(fixture.Dental.TenantId);
        var original = tenant.Realism;
        // A budget of 20 writes per 2 s at the emulator while the bot's own budget is far larger: Graph answers 429.
        tenant.SetRealism(new RealismSettings { WriteBudget = 20, WriteBudgetWindow = TimeSpan.FromSeconds(2) });
        try
        {
            var before = fixture.Emulator.Journal.Count;
            var (op, _) = await fixture.RunAsync("bulk add", fixture.Dental, Csv(p, 40), TimeSpan.FromSeconds(90));

            var failed = (await fixture.RowsAsync(op.Id)).Where(r => r.State != ImportRowState.Succeeded).Select(r => $"{r.Index}: {r.State} {r.Detail}");
            Assert.True(op.State == OperationState.Succeeded, string.Join("\n", failed));
            var writes = fixture.Emulator.Journal.Entries.Skip(before).Where(e => e.Method == "POST" && e.Path == "/v1.0/users").ToList();
            Assert.Contains(writes, e => e.Throttled);
            Assert.Equal(40, writes.Count(e => e.Status == 201));
            for (var i = 0; i < 40; i++)
                Assert.NotNull(tenant.FindUser($"{p}{i}@{Domain}"));
        }
        finally
        {
            tenant.SetRealism(original);
        }
    }

    [Fact]
    public async Task InjectedFaults_AreRetried_NoRowLostOrDuplicated()
    {
        var p = Prefix();
        var tenant = fixture.Emulator.State.Tenant(fixture.Dental.TenantId);
        var original = tenant.Realism;
        tenant.SetRealism(new RealismSettings { FaultRate = 0.25, Faults = [InjectedFault.ServiceUnavailable, InjectedFault.GatewayTimeout] });
        try
        {
            var before = fixture.Emulator.Journal.Count;
            var (op, _) = await fixture.RunAsync("bulk add", fixture.Dental, Csv(p, 40), TimeSpan.FromSeconds(90));

            var rows = await fixture.RowsAsync(op.Id);
            Assert.All(rows, r => Assert.Equal(ImportRowState.Succeeded, r.State));
            var created = fixture.Emulator.Journal.Entries.Skip(before).Count(e => e.Method == "POST" && e.Path == "/v1.0/users" && e.Status == 201);
            Assert.Equal(40, created);
        }
        finally
        {
            tenant.SetRealism(original);
        }
    }

    [Fact]
    public async Task FiveThousandRows_AreAllCreated()
    {
        var p = Prefix();
        var stopwatch = Stopwatch.StartNew();

        var (op, preview) = await fixture.RunAsync("bulk add", fixture.Fabrikam, Csv(p, 5000, SeededTenants.FabrikamLogisticsDomain), TimeSpan.FromSeconds(120));

        TestContext.Current.SendDiagnosticMessage($"5,000 rows: preview + run in {stopwatch.ElapsedMilliseconds} ms");
        Assert.Contains("5,000", preview.CardText, StringComparison.Ordinal);
        Assert.Equal(OperationState.Succeeded, op.State);
        var rows = await fixture.RowsAsync(op.Id);
        Assert.Equal(5000, rows.Count(r => r.State == ImportRowState.Succeeded && r.ObjectId is not null));
        var tenant = fixture.Emulator.State.Tenant(fixture.Fabrikam.TenantId);
        Assert.NotNull(tenant.FindUser($"{p}0@{SeededTenants.FabrikamLogisticsDomain}"));
        Assert.NotNull(tenant.FindUser($"{p}4999@{SeededTenants.FabrikamLogisticsDomain}"));
    }

    [Fact]
    public async Task AfterACrash_RowsInFlightAreLookedUp_NotCreatedTwice()
    {
        var p = Prefix();
        var services = fixture.Bot.Services;
        var operations = services.GetRequiredService<PendingOperationStore>();
        var store = services.GetRequiredService<ImportRowStore>();
        var users = services.GetRequiredService<UserOperations>();
        var now = TimeProvider.System.GetUtcNow();
        var op = new PendingOperation
        {
            Id = Guid.NewGuid(),
            RequesterAadObjectId = TestUsers.Tech.AadObjectId,
            RequesterName = TestUsers.Tech.Name,
            TenantId = fixture.Dental.TenantId,
            TenantName = fixture.Dental.DisplayName,
            ActionId = BulkAddKind.Id,
            State = OperationState.Running,
            CreatedAt = now,
            ExpiresAt = now.AddHours(1),
            UpdatedAt = now,
        };
        await operations.CreateAsync(op, Ct);
        var rows = Enumerable.Range(0, 30).Select(i => new ImportRow(i + 2, new Dictionary<string, string>
        {
            [ImportColumns.Username] = $"{p}{i}",
            [ImportColumns.Domain] = Domain,
            [ImportColumns.DisplayName] = $"Row {i}",
        })).ToList();
        await store.ReplaceAsync(op.Id, rows, Ct);

        // The state a killed job leaves: 0–9 done; 10–19 in flight, of which Graph created 10–14 before the crash; 20–29 waiting.
        var done = Enumerable.Range(0, 10).Select(i => new RowUpdate(i, ImportRowState.Succeeded, Guid.NewGuid().ToString(), "Created")).ToList();
        var inFlight = Enumerable.Range(10, 10).Select(i => new RowUpdate(i, ImportRowState.InFlight, null, null)).ToList();
        await store.UpdateAsync(op.Id, [.. done, .. inFlight], Ct);
        var createdBeforeCrash = new Dictionary<string, string>();
        for (var i = 10; i < 15; i++)
        {
            var created = await users.CreateAsync(op.TenantId, new NewUser($"Row {i}", $"{p}{i}@{Domain}", PasswordGenerator.Classic(16)), Ct);
            createdBeforeCrash[$"{p}{i}@{Domain}"] = created.Value!.Id;
        }

        var before = fixture.Emulator.Journal.Count;
        services.GetRequiredService<JobScheduler>().Enqueue<BulkAddJob>(op.Id);
        var finished = await fixture.WaitAsync(op.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(OperationState.Succeeded, finished.State);
        var after = await store.ListAsync(op.Id, Ct);
        Assert.All(after, r => Assert.Equal(ImportRowState.Succeeded, r.State));
        for (var i = 10; i < 15; i++)
        {
            Assert.Equal(createdBeforeCrash[$"{p}{i}@{Domain}"], after[i].ObjectId);
            Assert.Equal("Created before the bot restarted", after[i].Detail);
        }
        var creates = fixture.Emulator.Journal.Entries.Skip(before).Where(e => e.Method == "POST" && e.Path == "/v1.0/users").ToList();
        Assert.Equal(15, creates.Count);
        Assert.All(creates, c => Assert.Equal(201, c.Status));
        for (var i = 0; i < 10; i++)
            Assert.Null(fixture.Emulator.State.Tenant(op.TenantId).FindUser($"{p}{i}@{Domain}"));
    }

    [Fact]
    public async Task AfterACrashBeforeTheResultsWereSent_TheResumedJobSendsThemAndFinishes()
    {
        // A real import gives the conversation the tech asked from; the crashed one is a copy of it.
        var p = Prefix();
        var (asked, _) = await fixture.RunAsync("bulk add", fixture.Dental, Csv(p, 1), TimeSpan.FromSeconds(30));
        var services = fixture.Bot.Services;
        var operations = services.GetRequiredService<PendingOperationStore>();
        var store = services.GetRequiredService<ImportRowStore>();
        var now = TimeProvider.System.GetUtcNow();
        var op = asked with
        {
            Id = Guid.NewGuid(),
            State = OperationState.Running,
            Results = [],
            RequestCardActivityId = null,
            CreatedAt = now,
            ExpiresAt = now.AddHours(1),
            UpdatedAt = now,
            Version = 0,
        };
        await operations.CreateAsync(op, Ct);
        // The state a job killed after its last row and before the results went out leaves: every row done, still Running.
        var rows = Enumerable.Range(0, 3).Select(i => new ImportRow(i + 2, new Dictionary<string, string>
        {
            [ImportColumns.Username] = $"{p}x{i}",
            [ImportColumns.Domain] = Domain,
            [ImportColumns.DisplayName] = $"Done {i}",
        })).ToList();
        await store.ReplaceAsync(op.Id, rows, Ct);
        await store.UpdateAsync(op.Id, [.. Enumerable.Range(0, 3).Select(i => new RowUpdate(i, ImportRowState.Succeeded, Guid.NewGuid().ToString(), "Created"))], Ct);
        var before = fixture.Bot.Connector.Count;
        var graphBefore = fixture.Emulator.Journal.Count;

        services.GetRequiredService<JobScheduler>().Enqueue<BulkAddJob>(op.Id);
        // Watched closely: the results must be out by the time the operation is finished (a crash in between would
        // otherwise leave a finished operation whose results never reach the tech).
        var watch = Stopwatch.StartNew();
        PendingOperation finished;
        IReadOnlyList<ConnectorCall> posted;
        while (true)
        {
            var sentSoFar = fixture.Bot.Connector.CallsSince(before);
            if ((await operations.GetAsync(op.Id, Ct))! is { IsTerminal: true } terminal)
            {
                (finished, posted) = (terminal, sentSoFar);
                break;
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "The resumed job did not finish.");
            await Task.Delay(5, Ct);
        }

        Assert.Equal(OperationState.Succeeded, finished.State);
        var offer = Assert.Single(posted, c => c.Text?.Contains("**bulk-add-", StringComparison.Ordinal) == true);
        Assert.StartsWith("a:personal-", offer.ConversationId, StringComparison.Ordinal);
        Assert.Contains(posted, c => c.CardText.Contains(": finished", StringComparison.Ordinal) && c.CardText.Contains($"Succeeded\n3", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Emulator.Journal.Entries.Skip(graphBefore), e => e.Method == "POST");
    }

    private static string Csv(string prefix, int count, string domain = Domain)
    {
        var csv = new StringBuilder("mailNickName,displayName,domain\r\n");
        for (var i = 0; i < count; i++)
            csv.Append(prefix).Append(i).Append(",Bulk User ").Append(i).Append(',').Append(domain).Append("\r\n");
        return csv.ToString();
    }

    private static string Prefix() => "j" + Guid.NewGuid().ToString("N")[..6];
}
