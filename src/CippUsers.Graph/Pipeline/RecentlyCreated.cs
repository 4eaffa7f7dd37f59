using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CippUsers.Graph;

/// <summary>
/// Objects this instance created moments ago, per tenant. Only calls that touch one of them retry "not found"
/// answers, so a tech's typo still fails fast.
/// </summary>
internal sealed class RecentlyCreated(IOptions<GraphOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> created = new(StringComparer.OrdinalIgnoreCase);

    public void Remember(string tenantId, params string?[] keys)
    {
        var now = time.GetUtcNow();
        foreach (var key in keys)
        {
            if (!string.IsNullOrEmpty(key))
                created[Key(tenantId, key)] = now;
        }
        if (created.Count > 50_000)
            Prune(now);
    }

    public bool IsRecent(string tenantId, params string?[] keys)
    {
        var cutoff = time.GetUtcNow() - options.Value.Consistency.Window;
        return keys.Any(k => !string.IsNullOrEmpty(k) && created.TryGetValue(Key(tenantId, k), out var at) && at >= cutoff);
    }

    private void Prune(DateTimeOffset now)
    {
        var cutoff = now - options.Value.Consistency.Window;
        foreach (var (key, at) in created)
        {
            if (at < cutoff)
                created.TryRemove(key, out _);
        }
    }

    private static string Key(string tenantId, string key) => tenantId + "|" + key;
}
