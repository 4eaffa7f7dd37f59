using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CippUsers.Bot.Features.BulkAdd;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Hosting;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Storage;
using CippUsers.Graph;
using CippUsers.TenantEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Rows per second for 1,000 users created in one emulated tenant at the emulator's default write budget (3,000 writes
// per 150 s): the bulk-add engine (the real job: JSON batches of 20, adaptive concurrency, per-chunk state in SQLite)
// against a one-row-at-a-time loop of single creates on the same emulator. Writes bench/RESULTS.md. Not part of ./test.
const int Users = 1000;
var results = new List<string>();
var data = Directory.CreateTempSubdirectory("cippusers-bench-").FullName;

foreach (var latency in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(25) })
{
    await using var emulator = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false });
    var tenant = emulator.Tenants.First(t => t.TenantId == SeededTenants.FabrikamLogisticsId);
    emulator.State.Tenant(tenant.TenantId).SetRealism(new RealismSettings { Latency = latency });

    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = data, ApplicationName = typeof(BotSetup).Assembly.GetName().Name });
    builder.Logging.ClearProviders();
    var settings = new Dictionary<string, string?>
    {
        ["Bot:Port"] = "0",
        ["Bot:DemoEmulator"] = "false",
        ["Storage:SqlitePath"] = Path.Combine(data, $"bench-{latency.TotalMilliseconds}.db"),
        ["Jobs:QueuePollInterval"] = "00:00:00.100",
        ["Graph:GraphBaseUrl"] = emulator.BaseUri.ToString(),
        ["Exchange:BaseUrl"] = emulator.BaseUri.ToString(),
        ["Graph:AuthorityHost"] = emulator.BaseUri.ToString(),
        ["Graph:TrustedCertificateThumbprint"] = emulator.CertificateThumbprint,
        ["Graph:Partner:ClientId"] = emulator.ClientId,
        ["Graph:Partner:ClientSecret"] = emulator.ClientSecret,
        ["Graph:Tenants:0:TenantId"] = tenant.TenantId,
        ["Graph:Tenants:0:DisplayName"] = tenant.DisplayName,
        ["Graph:Tenants:0:DefaultDomain"] = tenant.DefaultDomain,
    };
    builder.Configuration.AddInMemoryCollection(settings);
    await builder.AddCippBotAsync();
    await using var app = builder.Build();
    app.MapCippBot();
    await app.StartAsync();

    // Warm up the token, the connection and the JIT with one create each way.
    var users = app.Services.GetRequiredService<UserOperations>();
    await users.CreateAsync(tenant.TenantId, NewUser($"warm{latency.TotalMilliseconds}", tenant.DefaultDomain), CancellationToken.None);

    var engine = await EngineAsync(app.Services, tenant, $"e{latency.TotalMilliseconds}x");
    var loop = Stopwatch.StartNew();
    for (var i = 0; i < Users; i++)
    {
        var created = await users.CreateAsync(tenant.TenantId, NewUser($"l{latency.TotalMilliseconds}x{i}", tenant.DefaultDomain), CancellationToken.None);
        if (!created.Succeeded)
            throw new InvalidOperationException("Loop create failed: " + created.Failure.Message);
    }
    loop.Stop();
    var throttled = emulator.Journal.Entries.Count(e => e.Throttled);
    results.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {latency.TotalMilliseconds:0} ms | {Users / engine.TotalSeconds:0} rows/s ({engine.TotalSeconds:0.0} s) | {Users / loop.Elapsed.TotalSeconds:0} rows/s ({loop.Elapsed.TotalSeconds:0.0} s) | {loop.Elapsed / engine:0.0}× | {throttled} |"));
    await Console.Out.WriteLineAsync(results[^1]);
    await app.StopAsync();
}

var report = new StringBuilder()
    .AppendLine("# Bulk add benchmark")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"Run {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}.")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"{Users:N0} users created in one emulated tenant (Fabrikam Logistics) at the emulator's default write budget (3,000 writes per 150 s per app and tenant), over loopback HTTPS.")
    .AppendLine("**Bulk engine**: the real bulk-add job (Hangfire on SQLite, rows persisted per chunk, JSON batches of 20 creates, adaptive concurrency up to 8 batches). **Loop**: `UserOperations.CreateAsync` one user after the other.")
    .AppendLine("Latency is the emulator's added delay per request (0 = loopback only; 25 ms is closer to Graph from a nearby region).")
    .AppendLine()
    .AppendLine("| Added latency | Bulk engine | One at a time | Speed-up | 429s seen |")
    .AppendLine("|---|---|---|---|---|");
foreach (var line in results)
    report.AppendLine(line);
report.AppendLine()
    .AppendLine("Notes: 1,000 creates fit in the budget's first bucket (3,000), so neither side waits for budget here; past 3,000")
    .AppendLine("rows a tenant sustains at most 20 creates/s (3,000 per 150 s) whatever the client does, and the engine's local")
    .AppendLine("write limiter paces it there without 429s. The emulator adds its latency once per HTTP request, so a JSON batch")
    .AppendLine("of 20 pays it once (Graph also runs batch items server-side). The engine's time includes Hangfire picking the job")
    .AppendLine("up (poll interval 100 ms here) and writing row state to SQLite per chunk.");
report.AppendLine().AppendLine("Run again with `dotnet run -c Release --project bench/CippUsers.Bench`.");
var path = Path.Combine(AppContext.BaseDirectory, "../../../../RESULTS.md");
await File.WriteAllTextAsync(Path.GetFullPath(path), report.ToString());
await Console.Out.WriteLineAsync(report.ToString());
return;

static NewUser NewUser(string alias, string domain) =>
    new($"Bench {alias}", $"{alias}@{domain}", PasswordGenerator.Classic(16)) { MailNickname = alias };

static async Task<TimeSpan> EngineAsync(IServiceProvider services, EmulatedTenantInfo tenant, string prefix)
{
    var operations = services.GetRequiredService<PendingOperationStore>();
    var rows = services.GetRequiredService<ImportRowStore>();
    var now = TimeProvider.System.GetUtcNow();
    var op = new PendingOperation
    {
        Id = Guid.NewGuid(),
        RequesterAadObjectId = "bench",
        RequesterName = "Bench",
        TenantId = tenant.TenantId,
        TenantName = tenant.DisplayName,
        ActionId = BulkAddKind.Id,
        State = OperationState.Running,
        CreatedAt = now,
        ExpiresAt = now.AddHours(1),
        UpdatedAt = now,
    };
    await operations.CreateAsync(op, CancellationToken.None);
    await rows.ReplaceAsync(op.Id, [.. Enumerable.Range(0, Users).Select(i => new ImportRow(i + 2, new Dictionary<string, string>
    {
        [ImportColumns.Username] = $"{prefix}{i}",
        [ImportColumns.Domain] = tenant.DefaultDomain,
        [ImportColumns.DisplayName] = $"Bench {prefix}{i}",
    }))], CancellationToken.None);

    var clock = Stopwatch.StartNew();
    services.GetRequiredService<JobScheduler>().Enqueue<BulkAddJob>(op.Id);
    while (true)
    {
        var current = await operations.GetAsync(op.Id, CancellationToken.None);
        if (current!.IsTerminal)
        {
            if (current.State != OperationState.Succeeded)
                throw new InvalidOperationException("The bulk job ended as " + current.State);
            return clock.Elapsed;
        }
        await Task.Delay(20);
    }
}
