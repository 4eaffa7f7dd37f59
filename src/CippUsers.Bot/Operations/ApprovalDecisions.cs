using CippUsers.Bot.Access;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Operations;

/// <summary>
/// An approver's decision on a request awaiting approval, for every flow that has approvals (catalog actions, imports):
/// who may decide (a refusal is audited and answered 403), and the decision itself, one compare-and-swap
/// AwaitingApproval → Running or Rejected with who and when, audited. What to say and what to start stays with the flow.
/// </summary>
internal sealed class ApprovalDecisions(PendingOperationStore operations, AccessPolicy policy, OperationAudit audit, TimeProvider time)
{
    /// <param name="tenant">The request's tenant; null when it is no longer managed (then nobody may decide).</param>
    /// <returns>False when refused; the refusal is audited and the turn already answered.</returns>
    public async Task<bool> MayDecideAsync(BotTurn turn, PendingOperation op, TenantRef? tenant, bool approve, CancellationToken ct)
    {
        var decision = tenant is null
            ? AccessDecision.Refuse("The tenant is no longer managed.")
            : policy.CanDecideApproval(policy.For(turn.Caller.AadObjectId), op.RequesterAadObjectId, tenant);
        if (decision.Allowed)
            return true;
        await audit.DecisionAsync(op, turn.Caller.AadObjectId, turn.Caller.Name, approve ? "approval refused" : "rejection refused", decision.Reason, ct);
        turn.RespondWithError(403, decision.Reason);
        return false;
    }

    /// <returns>The decided request, audited; null when another decision (or an expiry) changed it first.</returns>
    public async Task<PendingOperation?> RecordAsync(BotTurn turn, PendingOperation op, bool approve, CancellationToken ct)
    {
        var next = await operations.TryTransitionAsync(op.Id, OperationState.AwaitingApproval, op.Version, o => o with
        {
            State = approve ? OperationState.Running : OperationState.Rejected,
            DecidedByAadObjectId = turn.Caller.AadObjectId,
            DecidedByName = turn.Caller.Name,
            DecidedAt = time.GetUtcNow(),
        }, ct);
        if (next is not null)
            await audit.DecisionAsync(next, turn.Caller.AadObjectId, turn.Caller.Name, approve ? "approved" : "rejected", null, ct);
        return next;
    }
}
