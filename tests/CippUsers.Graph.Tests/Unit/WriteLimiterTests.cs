using System.Diagnostics;

namespace CippUsers.Graph.Tests.Unit;

public class WriteLimiterTests
{
    [Fact]
    public async Task Create_BurstThenSteadyRate_MatchesBudget()
    {
        // 10 writes per second, bucket of 10: 30 writes need about 2 s (10 at once, 20 more at 10/s).
        using var limiter = TenantWriteLimiters.Create(new WriteBudgetOptions { Writes = 10, PerSeconds = 1 });
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < 30; i++)
        {
            using var lease = await limiter.AcquireAsync(1, TestContext.Current.CancellationToken);
            Assert.True(lease.IsAcquired);
        }

        Assert.InRange(watch.Elapsed.TotalSeconds, 1.7, 3.5);
    }

    [Fact]
    public async Task Create_FirstBucketIsImmediate()
    {
        using var limiter = TenantWriteLimiters.Create(new WriteBudgetOptions { Writes = 3000, PerSeconds = 150 });
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < 500; i++)
        {
            using var lease = await limiter.AcquireAsync(1, TestContext.Current.CancellationToken);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }
}
