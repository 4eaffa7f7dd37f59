using System.Data.Common;
using CippUsers.Bot.Storage;
using Dapper;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Jobs;

/// <summary>
/// A lock per pending operation, held while a job works on it, shared by every bot instance on the same database.
/// PostgreSQL: a session advisory lock (released by the server when a killed process's connection drops).
/// SQLite: Hangfire's distributed lock in the jobs database (expires after Jobs:DistributedLockLifetime when its holder died).
/// </summary>
public sealed class OperationLocks(BotDatabase database, JobStorage storage, IOptions<JobsOptions> options)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <exception cref="OperationLockedException">When another run holds the lock past Jobs:OperationLockTimeout.</exception>
    public async Task<IAsyncDisposable> AcquireAsync(Guid operationId, CancellationToken ct)
    {
        var timeout = options.Value.OperationLockTimeout;
        return database.Provider switch
        {
            StorageProvider.Postgres => await AcquirePostgresAsync(operationId, timeout, ct),
            StorageProvider.Sqlite => await Task.Run(() => AcquireHangfire(operationId, timeout), ct),
            _ => throw new InvalidOperationException("Unknown storage provider."),
        };
    }

    private async Task<IAsyncDisposable> AcquirePostgresAsync(Guid operationId, TimeSpan timeout, CancellationToken ct)
    {
        var key = LockKey(operationId);
        var connection = await database.OpenAsync(ct);
        try
        {
            var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
            while (true)
            {
                if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@key)", new { key }, cancellationToken: ct)))
                    return new PostgresLock(connection, key);
                if (TimeProvider.System.GetTimestamp() >= deadline)
                    throw new OperationLockedException(operationId);
                await Task.Delay(PollInterval, ct);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private HangfireLock AcquireHangfire(Guid operationId, TimeSpan timeout)
    {
        var connection = storage.GetConnection();
        try
        {
            return new HangfireLock(connection, connection.AcquireDistributedLock($"cippusers:operation:{operationId:N}", timeout));
        }
        catch (DistributedLockTimeoutException)
        {
            connection.Dispose();
            throw new OperationLockedException(operationId);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // Advisory locks take one bigint; the first 8 bytes of a random (v4) Guid are as unique as we need.
    private static long LockKey(Guid operationId) => BitConverter.ToInt64(operationId.ToByteArray(), 0);

    private sealed class PostgresLock(DbConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key });
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class HangfireLock(IStorageConnection connection, IDisposable handle) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            try
            {
                handle.Dispose();
            }
            finally
            {
                connection.Dispose();
            }
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Another run of the same operation holds its lock; Hangfire retries the job later.</summary>
public sealed class OperationLockedException(Guid operationId)
    : Exception($"Operation {operationId} is being worked on by another job run.");
