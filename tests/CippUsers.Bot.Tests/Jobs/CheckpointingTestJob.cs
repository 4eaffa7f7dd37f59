using CippUsers.Bot.Jobs;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Tests.Jobs;

/// <summary>
/// A job shaped like a real bulk action: per target it does the work (recorded as an audit entry, the side effect we
/// count), checkpoints the result on the operation with a CAS, and finishes with a CAS Running → Succeeded.
/// Set <see cref="HangBeforeTargetVariable"/> to make it write a marker file and hang before that target's work.
/// </summary>
public sealed class CheckpointingTestJob(PendingOperationStore operations, AuditLog audit, TimeProvider time) : IOperationJob
{
    public const string HangBeforeTargetVariable = "CIPPUSERS_TEST_HANG_BEFORE_TARGET";
    public const string HangMarkerVariable = "CIPPUSERS_TEST_HANG_MARKER";
    public const string WorkAction = "test-work";
    public const string FinishedAction = "test-finished";

    public async Task ExecuteAsync(Guid operationId, CancellationToken ct)
    {
        var op = await operations.GetAsync(operationId, ct);
        while (op is { State: OperationState.Running })
        {
            var next = op.Targets.FirstOrDefault(t => op.Results.All(r => r.TargetId != t.Id));
            if (next is null)
            {
                var finished = await operations.TryTransitionAsync(op.Id, OperationState.Running, op.Version, o => o with { State = OperationState.Succeeded }, ct);
                if (finished is not null)
                    await RecordAsync(op, FinishedAction, null, ct);
                return;
            }

            if (Environment.GetEnvironmentVariable(HangBeforeTargetVariable) == next.Id)
            {
                await File.WriteAllTextAsync(Environment.GetEnvironmentVariable(HangMarkerVariable)!, next.Id, CancellationToken.None);
                await Task.Delay(Timeout.Infinite, CancellationToken.None); // until the test kills this process
            }

            await RecordAsync(op, WorkAction, next, ct);
            var result = new TargetResult(next.Id, next.DisplayName, true, "done");
            op = await operations.TryTransitionAsync(op.Id, OperationState.Running, op.Version, o => o with { Results = [.. o.Results, result] }, ct)
                ?? await operations.GetAsync(operationId, ct);
        }
    }

    private Task RecordAsync(PendingOperation op, string action, OperationTarget? target, CancellationToken ct) =>
        audit.AppendAsync(new AuditEntry(0, time.GetUtcNow(), "job", "job", op.TenantId, action, target?.Id, target?.DisplayName,
            "Succeeded", $"pid {Environment.ProcessId}", null, op.CorrelationId ?? "", op.Id), ct);
}
