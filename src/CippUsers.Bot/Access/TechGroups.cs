using System.Collections.Concurrent;
using CippUsers.Graph;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Access;

/// The groups a tech belongs to in the MSP's own tenant (Graph:HomeTenantId), so Access roles can be granted to groups.
/// Read through the partner app and kept for a few minutes; without a home tenant, or when Graph fails, a tech has
/// only the roles granted to their own object id.
internal sealed class TechGroups(GroupOperations groups, IOptions<GraphOptions> graph, TimeProvider time, ILogger<TechGroups> log)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, IReadOnlyCollection<string> Ids)> cache = new(StringComparer.OrdinalIgnoreCase);

    /// The groups last read for this tech, if still fresh.
    public IReadOnlyCollection<string>? Known(string aadObjectId) =>
        cache.TryGetValue(aadObjectId, out var known) && known.Until > time.GetUtcNow() ? known.Ids : null;

    /// Reads the tech's groups unless a fresh answer is cached. Called at the start of every turn, so the access checks
    /// inside it (which are synchronous) see the tech's current groups.
    public async Task<IReadOnlyCollection<string>> RefreshAsync(string aadObjectId, CancellationToken ct)
    {
        var home = graph.Value.HomeTenantId;
        if (string.IsNullOrWhiteSpace(home) || string.IsNullOrWhiteSpace(aadObjectId))
        {
            return [];
        }

        var now = time.GetUtcNow();
        if (cache.TryGetValue(aadObjectId, out var known) && known.Until > now)
        {
            return known.Ids;
        }

        var result = await groups.ListUserGroupsAsync(home, aadObjectId, ct);
        if (!result.Succeeded)
        {
            log.LogWarning("Could not read the groups of {AadObjectId}: {Kind}", aadObjectId, result.Failure?.Kind);
            return [];
        }

        IReadOnlyCollection<string> ids = [.. result.Value!.Select(g => g.Id)];
        cache[aadObjectId] = (now + KeepFor, ids);
        return ids;
    }
}
