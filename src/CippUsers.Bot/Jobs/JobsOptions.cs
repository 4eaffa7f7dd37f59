namespace CippUsers.Bot.Jobs;

/// <summary>Background jobs (Hangfire) on the bot's database.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Run a job server in this instance. Off = this instance only enqueues (another instance executes).</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Parallel jobs per instance. Jobs mostly wait on Graph, so a few are enough.</summary>
    public int WorkerCount { get; set; } = 2;

    /// <summary>
    /// SQLite only: the Hangfire database file. Default: beside Storage:SqlitePath with ".jobs.db", so the job
    /// server's polling never holds the bot database's write lock.
    /// </summary>
    public string? SqlitePath { get; set; }

    /// <summary>PostgreSQL only: schema for Hangfire's tables in the bot database.</summary>
    public string PostgresSchema { get; set; } = "hangfire";

    /// <summary>How often idle workers look for new jobs.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A job whose server died (killed, crashed) is handed to another server after this long. On SQLite it is
    /// also the longest a job may run before a second worker may fetch it (the per-operation lock and the
    /// operation's state keep that second run from redoing the work).
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>SQLite only: a per-operation lock left by a killed process expires after this long.</summary>
    public TimeSpan DistributedLockLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a job waits for another run of the same operation to release its lock before retrying later.</summary>
    public TimeSpan OperationLockTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Graceful shutdown: running jobs get this long to finish before they are re-queued.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    internal static IEnumerable<string> Validate(JobsOptions o)
    {
        if (o.WorkerCount is < 1 or > 64)
            yield return $"{Section}:WorkerCount must be between 1 and 64.";
        if (o.QueuePollInterval < TimeSpan.FromMilliseconds(100))
            yield return $"{Section}:QueuePollInterval must be at least 100 ms.";
        if (o.InvisibilityTimeout < TimeSpan.FromSeconds(1))
            yield return $"{Section}:InvisibilityTimeout must be at least 1 second.";
        if (o.DistributedLockLifetime < TimeSpan.FromSeconds(1))
            yield return $"{Section}:DistributedLockLifetime must be at least 1 second.";
        if (o.OperationLockTimeout < TimeSpan.Zero)
            yield return $"{Section}:OperationLockTimeout must not be negative.";
        if (string.IsNullOrWhiteSpace(o.PostgresSchema))
            yield return $"{Section}:PostgresSchema is required.";
    }
}
