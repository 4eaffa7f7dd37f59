using CippUsers.Bot.Storage;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Hangfire on the bot's database (SQLite: a ".jobs.db" file beside it; PostgreSQL: schema Jobs:PostgresSchema),
    /// a job server unless Jobs:RunServer is false, <see cref="JobScheduler"/> and <see cref="OperationLocks"/>.
    /// Also adds storage (<see cref="StorageServiceCollectionExtensions.AddCippStorage"/>) if not yet added.
    /// The job storage is a DI singleton (not Hangfire's static JobStorage.Current), so two hosts in one process stay apart.
    /// </summary>
    public static IServiceCollection AddCippJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCippStorage(configuration);
        var section = configuration.GetSection(JobsOptions.Section);
        services.AddOptions<JobsOptions>()
            .Bind(section)
            .Validate(o => !JobsOptions.Validate(o).Any(), "Jobs settings are invalid: check the Jobs section.")
            .ValidateOnStart();

        services.TryAddSingleton(CreateStorage);
        // Hangfire's default activator is its static JobActivator.Current, which the last host started in a process
        // sets; each host activates its jobs from its own container instead.
        services.TryAddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .UseLogProvider(new HostBoundLogProvider(new AspNetCoreLogProvider(sp.GetRequiredService<ILoggerFactory>())))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        if (section.GetValue(nameof(JobsOptions.RunServer), true))
        {
            services.AddHangfireServer((sp, server) =>
            {
                var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
                server.WorkerCount = jobs.WorkerCount;
                server.ShutdownTimeout = jobs.ShutdownTimeout;
                server.SchedulePollingInterval = jobs.QueuePollInterval;
            });
        }
        services.TryAddSingleton<JobScheduler>();
        services.TryAddSingleton<OperationLocks>();
        return services;
    }

    private static JobStorage CreateStorage(IServiceProvider sp)
    {
        var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
        var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
        switch (storage.Provider)
        {
            case StorageProvider.Sqlite:
                var path = BotDatabase.ResolvePath(jobs.SqlitePath ?? Path.ChangeExtension(storage.SqlitePath, ".jobs.db"), sp.GetService<IHostEnvironment>());
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                return new SQLiteStorage(path, new SQLiteStorageOptions
                {
                    QueuePollInterval = jobs.QueuePollInterval,
                    InvisibilityTimeout = jobs.InvisibilityTimeout,
                    DistributedLockLifetime = jobs.DistributedLockLifetime,
                    JournalMode = SQLiteStorageOptions.JournalModes.WAL,
                });
            case StorageProvider.Postgres:
                var options = new PostgreSqlStorageOptions
                {
                    SchemaName = jobs.PostgresSchema,
                    PrepareSchemaIfNecessary = true,
                    QueuePollInterval = jobs.QueuePollInterval,
                    InvisibilityTimeout = jobs.InvisibilityTimeout,
                    UseSlidingInvisibilityTimeout = true,
                };
                return new PostgreSqlStorage(new NpgsqlConnectionFactory(storage.PostgresConnectionString!, options), options);
            default:
                throw new InvalidOperationException("Unknown storage provider.");
        }
    }
}
