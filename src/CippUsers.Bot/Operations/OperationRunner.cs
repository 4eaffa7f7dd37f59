using CippUsers.Bot.Catalog;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Notifications;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Operations;

/// Runs an operation that a confirm or approve moved to Running, as a durable background job. Only the winner of that
/// compare-and-swap enqueues it; the job itself acts only while the operation is Running and finishes it by
/// compare-and-swap, so a retried or duplicated job cannot publish a second result.
internal sealed class OperationRunner(
    PendingOperationStore operations,
    ActionCatalog catalog,
    OperationAudit audit,
    HelpdeskNotifier notifier,
    JobScheduler jobs,
    IServiceProvider services,
    ILogger<OperationRunner> log) : IOperationJob
{
    public void Enqueue(Guid operationId) => jobs.Enqueue<OperationRunner>(operationId);

    public async Task ExecuteAsync(Guid operationId, CancellationToken ct)
    {
        var op = await operations.GetAsync(operationId, ct);
        if (op is null || op.State != OperationState.Running)
        {
            log.LogInformation("Operation {OperationId} is not running; nothing to do", operationId);
            return;
        }

        var action = catalog.Find(op.ActionId);
        var runner = catalog.RunnerFor(op.ActionId);
        var run = new ActionRun(op.Id.ToString(), op.TenantId, op.ActionId,
            op.Parameters.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.ToString()),
            op.RequesterAadObjectId, op.RequesterName);

        var results = new List<TargetResult>();
        foreach (var target in op.Targets)
        {
            TargetOutcome outcome;
            if (runner is null)
            {
                outcome = TargetOutcome.Failure("This action is not available yet; nothing was changed.");
            }
            else
            {
                try
                {
                    outcome = await runner.RunAsync(run, new ActionTarget(target.Id, target.DisplayName, target.UserPrincipalName ?? target.Id), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The exception text may come from far away; it is logged (by type and stack) but never shown or stored.
                    log.LogError(e, "Operation {OperationId} failed on target {TargetId}", op.Id, target.Id);
                    outcome = TargetOutcome.Failure("Unexpected error; see the bot's logs.");
                }
            }

            var result = new TargetResult(target.Id, target.DisplayName, outcome.Succeeded, outcome.Message);
            results.Add(result);
            await audit.TargetAsync(op, result, ct);
        }

        var state = results.All(r => r.Succeeded) ? OperationState.Succeeded
            : results.Any(r => r.Succeeded) ? OperationState.PartlySucceeded
            : OperationState.Failed;
        var done = await operations.TryTransitionAsync(op.Id, OperationState.Running, op.Version, o => o with { State = state, Results = results }, ct);
        if (done is null || action is null)
        {
            return;
        }

        log.LogInformation("Operation {OperationId} finished as {State}", op.Id, state);
        var workflow = services.GetRequiredService<OperationWorkflow>();
        await workflow.UpdateCardsAsync(done, action, except: null, ct);
        await notifier.PostResultAsync(done, action, ct);
    }
}
