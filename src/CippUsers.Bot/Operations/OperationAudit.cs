using System.Text.Json.Nodes;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Operations;

/// One audit entry per decision and per target result; parameters are the operation's (never secrets).
internal sealed class OperationAudit(AuditLog log, TimeProvider time)
{
    public Task DecisionAsync(PendingOperation op, string actorId, string actorName, string outcome, string? detail, CancellationToken ct)
        => log.AppendAsync(Entry(op, actorId, actorName, null, null, outcome, detail), ct);

    public Task TargetAsync(PendingOperation op, TargetResult result, CancellationToken ct)
        => log.AppendAsync(Entry(op, op.DecidedByAadObjectId ?? op.RequesterAadObjectId, op.DecidedByName ?? op.RequesterName,
            result.TargetId, result.DisplayName, result.Succeeded ? "succeeded" : "failed", result.Message), ct);

    private AuditEntry Entry(PendingOperation op, string actorId, string actorName, string? targetId, string? targetName, string outcome, string? detail)
        => new(0, time.GetUtcNow(), actorId, actorName, op.TenantId, op.ActionId, targetId, targetName ?? OperationView.Targets(op.Targets),
            outcome, detail, PublicParameters(op.Parameters), op.CorrelationId ?? op.Id.ToString(), op.Id);

    public static JsonObject PublicParameters(JsonObject parameters)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in parameters)
        {
            if (!key.StartsWith('_'))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }
}
