using CippUsers.Bot.Storage;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CippUsers.Bot.Jobs;

/// <summary>
/// What Hangfire actually runs for <see cref="JobScheduler"/>: skips operations that are gone or finished, takes the
/// operation's lock, then resolves <typeparamref name="TJob"/> from DI and runs it.
/// </summary>
public sealed partial class OperationJobRunner<TJob>(
    IServiceProvider services, PendingOperationStore operations, OperationLocks locks, ILogger<OperationJobRunner<TJob>> logger)
    where TJob : class, IOperationJob
{
    [AutomaticRetry(Attempts = 5, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(Guid operationId, CancellationToken ct)
    {
        if (await IsFinishedAsync(operationId, ct))
            return;

        await using var held = await locks.AcquireAsync(operationId, ct);
        // Another run may have finished the operation while we waited for the lock.
        if (await IsFinishedAsync(operationId, ct))
            return;

        var job = ActivatorUtilities.GetServiceOrCreateInstance<TJob>(services);
        await job.ExecuteAsync(operationId, ct);
    }

    private async Task<bool> IsFinishedAsync(Guid operationId, CancellationToken ct)
    {
        var operation = await operations.GetAsync(operationId, ct);
        if (operation is null)
        {
            LogMissing(typeof(TJob).Name, operationId);
            return true;
        }
        if (operation.IsTerminal)
        {
            LogAlreadyFinished(typeof(TJob).Name, operationId, operation.State);
            return true;
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} skipped: operation {OperationId} does not exist")]
    private partial void LogMissing(string job, Guid operationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} skipped: operation {OperationId} already finished as {State}")]
    private partial void LogAlreadyFinished(string job, Guid operationId, OperationState state);
}
