using CippUsers.Bot.Access;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Teams;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Pending;

/// `pending`: what waits for the caller's decision (approvals they may give) and their own open requests.
internal sealed class PendingFeature(PendingOperationStore operations, ActionCatalog catalog, AccessPolicy policy, CustomerTenants tenants, TimeProvider time) : IFeature
{
    public void Map(BotRoutes routes)
        => routes.Command("pending", "What waits for your decision, and your open requests", "pending", ShowAsync, "approvals");

    private async Task ShowAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        var caller = policy.For(turn.Caller.AadObjectId);
        var now = time.GetUtcNow();
        var open = await operations.ListAsync(new OperationQuery
        {
            States = [OperationState.Draft, OperationState.AwaitingConfirmation, OperationState.AwaitingApproval],
            Limit = 200,
        }, ct);
        open = [.. open.Where(o => o.ExpiresAt > now)];

        var toDecide = open.Where(o => o.State == OperationState.AwaitingApproval
            && policy.CanDecideApproval(caller, o.RequesterAadObjectId, Tenant(o)).Allowed).ToList();
        var mine = open.Where(o => string.Equals(o.RequesterAadObjectId, turn.Caller.AadObjectId, StringComparison.OrdinalIgnoreCase)).ToList();
        await turn.SendCardAsync(PendingCards.List(toDecide, mine, catalog), ct);
    }

    private TenantRef Tenant(PendingOperation op)
        => new(op.TenantId, tenants.Find(op.TenantId)?.DefaultDomain ?? op.TenantId, op.TenantName);
}
