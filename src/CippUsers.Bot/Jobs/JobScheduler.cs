using Hangfire;

namespace CippUsers.Bot.Jobs;

/// <summary>The typed way for features to start background work on a pending operation.</summary>
public sealed class JobScheduler(IBackgroundJobClient client, TimeProvider time)
{
    /// <summary>Runs <typeparamref name="TJob"/> for the operation as soon as a worker is free.</summary>
    /// <returns>The Hangfire job id.</returns>
    public string Enqueue<TJob>(Guid operationId) where TJob : class, IOperationJob =>
        client.Enqueue<OperationJobRunner<TJob>>(runner => runner.RunAsync(operationId, CancellationToken.None));

    /// <summary>Runs <typeparamref name="TJob"/> for the operation at <paramref name="at"/> (now if that has passed).</summary>
    public string Schedule<TJob>(Guid operationId, DateTimeOffset at) where TJob : class, IOperationJob
    {
        var delay = at - time.GetUtcNow();
        return delay <= TimeSpan.Zero
            ? Enqueue<TJob>(operationId)
            : client.Schedule<OperationJobRunner<TJob>>(runner => runner.RunAsync(operationId, CancellationToken.None), at);
    }
}
