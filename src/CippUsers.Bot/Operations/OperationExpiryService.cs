namespace CippUsers.Bot.Operations;

/// Expires operations nobody decided in time, so their cards say "expired" even if nobody clicks again.
internal sealed class OperationExpiryService(OperationWorkflow workflow, TimeProvider time, ILogger<OperationExpiryService> log) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var count = await workflow.ExpireDueAsync(stoppingToken);
                if (count > 0)
                {
                    log.LogInformation("Expired {Count} pending operations", count);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Expiring pending operations failed; trying again in {Interval}", Interval);
            }
        }
    }
}
