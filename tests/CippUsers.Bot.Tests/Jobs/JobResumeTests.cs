using System.Diagnostics;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Postgres;
using CippUsers.Bot.Tests.Storage;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CippUsers.Bot.Tests.Jobs;

public sealed class JobResumeTests(PostgresServer postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task A_job_killed_with_its_process_resumes_after_restart_and_finishes_once(StorageProvider provider)
    {
        var location = await TestStorage.NewLocationAsync(provider, postgres);
        await using var storage = await TestStorage.OpenAsync(provider, location);
        var op = TestStorage.NewOperation(TimeProvider.System.GetUtcNow(), state: OperationState.Running) with
        {
            Targets = [new("u1", "Jane", null), new("u2", "Tom", null), new("u3", "Kim", null)],
        };
        await storage.Operations.CreateAsync(op, Ct);

        // An instance without a job server enqueues (the bot answering the confirm click).
        string jobId;
        using (var client = JobTestHost.Build(JobTestHost.Settings(provider, location, runServer: false)))
        {
            await client.StartAsync(Ct);
            jobId = client.Services.GetRequiredService<JobScheduler>().Enqueue<CheckpointingTestJob>(op.Id);
            await client.StopAsync(Ct);
        }

        // A job server process picks it up, finishes target u1, and is killed while working on u2.
        var marker = Path.Combine(Path.GetTempPath(), $"cippusers-hang-{Guid.NewGuid():N}");
        var childOutput = new System.Text.StringBuilder();
        using (var child = JobTestHost.StartChild(JobTestHost.Settings(provider, location, runServer: true, workers: 1), new Dictionary<string, string>
        {
            [CheckpointingTestJob.HangBeforeTargetVariable] = "u2",
            [CheckpointingTestJob.HangMarkerVariable] = marker,
        }, childOutput))
        {
            try
            {
                try
                {
                    await WaitUntilAsync(() => Task.FromResult(File.Exists(marker) || child.HasExited), "the child job server to reach target u2");
                }
                catch (TimeoutException)
                {
                    lock (childOutput)
                        File.WriteAllText(Path.Combine(Path.GetTempPath(), $"cippusers-child-{provider}.log"), childOutput.ToString());
                    throw;
                }
                if (child.HasExited)
                {
                    await child.WaitForExitAsync(Ct);
                    lock (childOutput)
                        Assert.Fail($"The child job server exited ({child.ExitCode}) before it reached target u2:\n{childOutput}");
                }
            }
            finally
            {
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync(Ct);
            }
        }
        File.Delete(marker);
        var interrupted = await storage.Operations.GetAsync(op.Id, Ct);
        Assert.Equal(OperationState.Running, interrupted!.State);
        Assert.Equal(["u1"], interrupted.Results.Select(r => r.TargetId));

        // After a restart the job is handed out again, skips the finished target and completes.
        var stopwatch = Stopwatch.StartNew();
        using var restarted = JobTestHost.Build(JobTestHost.Settings(provider, location, runServer: true));
        await restarted.StartAsync(Ct);
        try
        {
            await WaitUntilAsync(async () => (await storage.Operations.GetAsync(op.Id, Ct))!.State == OperationState.Succeeded, "the operation to succeed after restart");
            TestContext.Current.SendDiagnosticMessage($"{provider}: resumed and finished {stopwatch.ElapsedMilliseconds} ms after restart");
            var jobStorage = restarted.Services.GetRequiredService<JobStorage>();
            await WaitUntilAsync(() => Task.FromResult(State(jobStorage, jobId) == "Succeeded"), "Hangfire to mark the job succeeded");

            // A duplicate run (a retry, or a second enqueue of the same operation) does nothing.
            var duplicate = restarted.Services.GetRequiredService<JobScheduler>().Enqueue<CheckpointingTestJob>(op.Id);
            await WaitUntilAsync(() => Task.FromResult(State(jobStorage, duplicate) == "Succeeded"), "the duplicate job to run");
        }
        finally
        {
            await restarted.StopAsync(CancellationToken.None);
        }

        var audit = await storage.Audit.QueryAsync(op.TenantId, null, 100, Ct);
        var work = audit.Where(e => e.Action == CheckpointingTestJob.WorkAction).Select(e => e.TargetId).Order().ToList();
        Assert.Equal(["u1", "u2", "u3"], work);
        Assert.Single(audit, e => e.Action == CheckpointingTestJob.FinishedAction);
        var finished = await storage.Operations.GetAsync(op.Id, Ct);
        Assert.Equal(["u1", "u2", "u3"], finished!.Results.Select(r => r.TargetId));
    }

    private static string? State(JobStorage storage, string jobId) =>
        storage.GetMonitoringApi().JobDetails(jobId)?.History.FirstOrDefault()?.StateName;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > Patience)
                throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(100, Ct);
        }
    }
}
