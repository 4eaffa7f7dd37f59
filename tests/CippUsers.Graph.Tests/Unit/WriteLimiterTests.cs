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

        // Only the lower bound is a property of the limiter; the upper one would measure the machine.
        Assert.True(watch.Elapsed.TotalSeconds >= 1.7, $"took {watch.Elapsed}");
    }

    [Fact]
    public void Create_FirstBucketIsImmediate()
    {
        using var limiter = TenantWriteLimiters.Create(new WriteBudgetOptions { Writes = 3000, PerSeconds = 150 });

        // AttemptAcquire never waits: every write of the first bucket is granted on the spot, the next one is not.
        var granted = Enumerable.Range(0, 3000).Count(_ => limiter.AttemptAcquire(1).IsAcquired);

        Assert.Equal(3000, granted);
        Assert.False(limiter.AttemptAcquire(1).IsAcquired);
    }
}
