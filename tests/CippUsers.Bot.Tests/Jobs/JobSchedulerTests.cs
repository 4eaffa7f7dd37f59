using System.Diagnostics;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Postgres;
using CippUsers.Bot.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CippUsers.Bot.Tests.Jobs;

public sealed class JobSchedulerTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Enqueued_job_runs_the_operation_to_completion(StorageProvider provider)
    {
        var location = await TestStorage.NewLocationAsync(provider, postgres);
        using var host = JobTestHost.Build(JobTestHost.Settings(provider, location, runServer: true, workers: 1));
        await host.StartAsync(Ct);
        try
        {
            var operations = host.Services.GetRequiredService<PendingOperationStore>();
            var op = TestStorage.NewOperation(TimeProvider.System.GetUtcNow(), state: OperationState.Running);
            await operations.CreateAsync(op, Ct);

            host.Services.GetRequiredService<JobScheduler>().Enqueue<CheckpointingTestJob>(op.Id);

            var watch = Stopwatch.StartNew();
            while ((await operations.GetAsync(op.Id, Ct))!.State != OperationState.Succeeded)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the job did not finish within 30 s");
                await Task.Delay(100, Ct);
            }
            Assert.Equal(["u1", "u2"], (await operations.GetAsync(op.Id, Ct))!.Results.Select(r => r.TargetId));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
