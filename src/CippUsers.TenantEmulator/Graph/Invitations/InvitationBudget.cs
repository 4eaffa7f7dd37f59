using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Realism;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Graph.Invitations;

/// <summary>
/// Graph's invitation limit: 150 invitations per 5 s per tenant (all apps), on top of the write budget. Applies while the
/// tenant's throttling realism is on; a new realism setting starts a fresh bucket.
/// </summary>
internal static class InvitationBudget
{
    public const int Invitations = 150;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private static readonly ConditionalWeakTable<TenantData, Entry> Buckets = [];

    /// <summary>Null when the invitation may go ahead, else the 429 answer.</summary>
    public static GraphResult? TryTake(GraphCall call)
    {
        var tenant = call.Tenant;
        lock (tenant.Gate)
        {
            var realism = tenant.Realism;
            if (!realism.ThrottlingEnabled)
            {
                return null;
            }

            var entry = Buckets.GetValue(tenant, _ => new Entry(realism, new WriteBucket(Invitations, Window, call.Now)));
            if (!ReferenceEquals(entry.Realism, realism))
            {
                entry = new Entry(realism, new WriteBucket(Invitations, Window, call.Now));
                Buckets.AddOrUpdate(tenant, entry);
            }

            if (entry.Bucket.TryTake(call.Now, out var retryAfter, out _))
            {
                return null;
            }

            return GraphRouter.Throttled(call, retryAfter, "Tenant", "InvitationLimitExceeded");
        }
    }

    private sealed record Entry(RealismSettings Realism, WriteBucket Bucket);
}
