using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CippUsers.Graph;

/// <summary>One token bucket per tenant sized like Graph's invitation limit (Graph:InvitationBudget, 150 per 5 s).</summary>
internal sealed class InvitationLimiters(IOptions<GraphOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> limiters = new(StringComparer.OrdinalIgnoreCase);

    public async ValueTask AcquireAsync(string tenantId, CancellationToken ct)
    {
        var limiter = limiters.GetOrAdd(tenantId, _ => TenantWriteLimiters.Create(options.Value.InvitationBudget));
        using var lease = await limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired)
            throw new WriteBudgetExceededException("The tenant's invitation queue is full.");
    }

    public void Dispose()
    {
        foreach (var limiter in limiters.Values)
            limiter.Dispose();
    }
}
