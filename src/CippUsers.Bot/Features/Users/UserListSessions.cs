using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CippUsers.Bot.Features.Users;

/// One tech's view of a users list: tenant, search, filter, columns and the Graph page links seen so far. Kept on the
/// server so a card carries only the session id: a forged card cannot point the bot's Graph token at another URL.
internal sealed class UserListSession(string id, string callerId, string tenantId, string? search, UserFilter filter, IReadOnlyList<string> columns, DateTimeOffset created)
{
    private readonly List<string?> pageLinks = [null];

    public string Id { get; } = id;
    public string CallerId { get; } = callerId;
    public string TenantId { get; } = tenantId;
    public string? Search { get; } = search;
    public UserFilter Filter { get; } = filter;
    public IReadOnlyList<string> Columns { get; } = columns;
    public DateTimeOffset Created { get; } = created;

    /// The next link that fetches page <paramref name="index"/> (null: the first request); false when not known yet.
    public bool TryGetLink(int index, out string? link)
    {
        lock (pageLinks)
        {
            link = index >= 0 && index < pageLinks.Count ? pageLinks[index] : null;
            return index >= 0 && index < pageLinks.Count;
        }
    }

    public void RememberNext(int index, string? nextLink)
    {
        lock (pageLinks)
        {
            if (nextLink is not null && index + 1 == pageLinks.Count)
            {
                pageLinks.Add(nextLink);
            }
        }
    }
}

/// The live list sessions, bounded and expiring (they are only navigation state; losing one asks the tech to list again).
internal sealed class UserListSessions(TimeProvider time)
{
    public const int Capacity = 2_000;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly ConcurrentDictionary<string, UserListSession> sessions = new(StringComparer.Ordinal);

    public UserListSession Start(string callerId, string tenantId, string? search, UserFilter filter, IReadOnlyList<string> columns)
    {
        Prune();
        var session = new UserListSession(Convert.ToHexString(RandomNumberGenerator.GetBytes(12)), callerId, tenantId, search, filter, columns, time.GetUtcNow());
        sessions[session.Id] = session;
        return session;
    }

    /// The caller's own, unexpired session; null for anything else.
    public UserListSession? Find(string? id, string callerId)
        => id is not null
           && sessions.TryGetValue(id, out var session)
           && string.Equals(session.CallerId, callerId, StringComparison.OrdinalIgnoreCase)
           && time.GetUtcNow() - session.Created < Lifetime
            ? session
            : null;

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (key, session) in sessions)
        {
            if (now - session.Created >= Lifetime)
            {
                sessions.TryRemove(key, out _);
            }
        }

        if (sessions.Count >= Capacity)
        {
            foreach (var oldest in sessions.Values.OrderBy(s => s.Created).Take(sessions.Count - Capacity + 1))
            {
                sessions.TryRemove(oldest.Id, out _);
            }
        }
    }
}
