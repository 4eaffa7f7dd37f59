using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CippUsers.Graph;

/// <summary>
/// One token bucket per tenant, sized like Graph's write quota, so bulk work waits locally for budget instead
/// of hammering the tenant into 429s.
/// </summary>
internal sealed class TenantWriteLimiters(IOptions<GraphOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> limiters = new(StringComparer.OrdinalIgnoreCase);

    public RateLimiter For(string tenantId) => limiters.GetOrAdd(tenantId, _ => Create(options.Value.WriteBudget));

    /// <summary>Waits until <paramref name="writes"/> writes fit in the tenant's budget.</summary>
    public async ValueTask AcquireAsync(string tenantId, int writes, CancellationToken ct)
    {
        var limiter = For(tenantId);
        var bucket = options.Value.WriteBudget.Writes;
        // A request for more than the bucket can ever hold would never be granted: take it in slices.
        while (writes > 0)
        {
            var slice = Math.Min(writes, bucket);
            using var lease = await limiter.AcquireAsync(slice, ct);
            if (!lease.IsAcquired)
                throw new WriteBudgetExceededException("The tenant's write queue is full.");
            writes -= slice;
        }
    }

    internal static TokenBucketRateLimiter Create(WriteBudgetOptions budget)
    {
        // Refill continuously in small steps (about every 50 ms) rather than all at once at the end of the window.
        var perToken = TimeSpan.FromSeconds(budget.PerSeconds) / budget.Writes;
        var tokensPerPeriod = Math.Max(1, (int)Math.Ceiling(TimeSpan.FromMilliseconds(50) / perToken));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = budget.Writes,
            TokensPerPeriod = Math.Min(tokensPerPeriod, budget.Writes),
            ReplenishmentPeriod = perToken * Math.Min(tokensPerPeriod, budget.Writes),
            QueueLimit = Math.Max(budget.QueueLimit, 1),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public void Dispose()
    {
        foreach (var limiter in limiters.Values)
            limiter.Dispose();
    }
}
