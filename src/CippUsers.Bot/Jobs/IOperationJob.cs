namespace CippUsers.Bot.Jobs;

/// <summary>
/// Background work on one pending operation. Implementations are DI classes (resolved per job run); Hangfire stores only
/// the operation id, never parameters or secrets. Run through <see cref="OperationJobRunner{TJob}"/>, which skips
/// operations that are missing or already finished and holds a per-operation lock, so two runs never overlap.
/// Implementations must still finish with a compare-and-swap (Running → terminal) so a retried run does not redo work.
/// </summary>
public interface IOperationJob
{
    Task ExecuteAsync(Guid operationId, CancellationToken ct);
}
