namespace CippUsers.TenantEmulator.Realism;

/// <summary>Graph's write budget for one app in one tenant: a token bucket that refills evenly over its window.</summary>
internal sealed class WriteBucket(int capacity, TimeSpan window, DateTimeOffset now)
{
    private double tokens = capacity;
    private DateTimeOffset last = now;

    /// <summary>Takes one write. False when the bucket is empty; then <paramref name="retryAfter"/> says when one is back.</summary>
    public bool TryTake(DateTimeOffset now, out TimeSpan retryAfter, out double usage)
    {
        var perSecond = capacity / window.TotalSeconds;
        if (now > last)
        {
            tokens = Math.Min(capacity, tokens + ((now - last).TotalSeconds * perSecond));
            last = now;
        }

        if (tokens >= 1)
        {
            tokens -= 1;
            retryAfter = TimeSpan.Zero;
            usage = 1 - (tokens / capacity);
            return true;
        }

        retryAfter = TimeSpan.FromSeconds((1 - tokens) / perSecond);
        usage = 1 + ((1 - tokens) / capacity);
        return false;
    }
}
