using System.Diagnostics;
using CippUsers.Graph.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using static CippUsers.Graph.Tests.Infrastructure.TestUsers;

namespace CippUsers.Graph.Tests.Pipeline;

/// <summary>
/// Library budget equal to the emulator's: a bucket of 40 writes refilling over 2 s, i.e. 20 writes/s, the same rate as
/// Graph's 3,000 writes per 150 s, with a bucket small enough that a 200-user run has to live within the rate.
/// </summary>
public sealed class BudgetFixture : EmulatorFixture
{
    public const int Bucket = 40;
    public const int WindowSeconds = 2;

    protected override IDictionary<string, string?>? Overrides => new Dictionary<string, string?>
    {
        ["Graph:WriteBudget:Writes"] = Bucket.ToString(),
        ["Graph:WriteBudget:PerSeconds"] = WindowSeconds.ToString(),
    };

    public static RealismSettings Realism => new() { WriteBudget = Bucket, WriteBudgetWindow = TimeSpan.FromSeconds(WindowSeconds) };
}

public class WriteBudgetTests(BudgetFixture fx) : IClassFixture<BudgetFixture>
{
    [Fact]
    public async Task CreateRun_200Users_StaysUnderBudgetWithAlmostNo429s()
    {
        const int count = 200;
        var tenant = fx.SmallTenant;
        tenant.SetRealism(BudgetFixture.Realism);
        var window = BudgetFixture.Realism.WriteBudgetWindow.TotalSeconds;
        var rate = BudgetFixture.Bucket / window;
        var users = fx.Get<UserOperations>();
        fx.Emulator.Journal.Reset();
        var watch = Stopwatch.StartNew();

        var results = new GraphResult<TenantUser>[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
            results[i] = await users.CreateAsync(EmulatorFixture.Small, New(SeededTenants.ContosoDentalDomain, "bench"), ct));
        watch.Stop();

        var posts = fx.Emulator.Journal.Entries.Where(e => e.Method == "POST" && e.Path.EndsWith("/users", StringComparison.Ordinal)).ToList();
        var throttled = posts.Count(e => e.Status == 429);
        var achieved = count / watch.Elapsed.TotalSeconds;
        var report = $"200-user create run at budget {BudgetFixture.Bucket} writes per {window:0.#} s ({rate:0.#} writes/s): " +
                     $"{watch.Elapsed.TotalSeconds:0.00} s, {achieved:0.0} writes/s achieved, {throttled} x 429 out of {posts.Count} POSTs";
        TestContext.Current.SendDiagnosticMessage(report);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "write-budget-run.txt"), report + Environment.NewLine, Ct);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Failure?.Message));
        Assert.Equal(count, results.Select(r => r.Value!.Id).Distinct().Count());
        Assert.True(throttled <= count / 50, report);
        // Never faster than the budget allows: the first bucket, then the refill rate.
        var floor = (count - BudgetFixture.Bucket) / rate;
        Assert.True(watch.Elapsed.TotalSeconds >= floor * 0.9, report);
        Assert.True(achieved >= rate * 0.6, report);
    }
}
