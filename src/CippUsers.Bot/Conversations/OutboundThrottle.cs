using System.Threading.RateLimiting;

namespace CippUsers.Bot.Conversations;

/// <summary>Keeps the bot under Teams' per-conversation send limits (7/1 s, 60/30 s, 1,800/h) by queueing sends.</summary>
internal sealed class OutboundThrottle : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public OutboundThrottle()
        : this(new ThrottleLimits(7, TimeSpan.FromSeconds(1), 60, TimeSpan.FromSeconds(30), 1800, TimeSpan.FromHours(1)))
    {
    }

    public OutboundThrottle(ThrottleLimits limits)
    {
        _limiter = PartitionedRateLimiter.CreateChained(
            Window(limits.PerSecond, limits.Second),
            Window(limits.PerHalfMinute, limits.HalfMinute),
            Window(limits.PerHour, limits.Hour));
    }

    public async ValueTask<IDisposable> WaitAsync(string conversationId, CancellationToken ct)
    {
        var lease = await _limiter.AcquireAsync(conversationId, 1, ct);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException("Too many messages are queued for this conversation.");
        }

        return lease;
    }

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();

    private static PartitionedRateLimiter<string> Window(int permits, TimeSpan window)
        => PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ =>
            new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                SegmentsPerWindow = Math.Clamp(permits, 1, 10),
                QueueLimit = 10_000,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            }));
}

internal sealed record ThrottleLimits(int PerSecond, TimeSpan Second, int PerHalfMinute, TimeSpan HalfMinute, int PerHour, TimeSpan Hour);
