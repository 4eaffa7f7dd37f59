using System.Data.Common;
using CippUsers.Bot.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Jobs;

/// <summary>
/// A lock per pending operation (or any other Guid key), held while a job works on it, shared by every bot instance on
/// the same database.
/// PostgreSQL: a session advisory lock (released by the server when a killed process's connection drops).
/// SQLite: a lease row in operation_locks, renewed while held and taken over once it has expired
/// (Jobs:DistributedLockLifetime after a killed holder's last renewal). Hangfire.Storage.SQLite's own distributed lock is
/// not used: it counts re-entries per thread, so two async callers that run on the same pool thread both "hold" it.
/// </summary>
public sealed class OperationLocks(BotDatabase database, IOptions<JobsOptions> options, ILogger<OperationLocks> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // Leases are shared with other processes and a test's fake clock would stall their polling: always the real clock.
    private static readonly TimeProvider Clock = TimeProvider.System;

    /// <exception cref="OperationLockedException">When another run holds the lock past Jobs:OperationLockTimeout.</exception>
    public async Task<IAsyncDisposable> AcquireAsync(Guid operationId, CancellationToken ct)
    {
        var timeout = options.Value.OperationLockTimeout;
        return database.Provider switch
        {
            StorageProvider.Postgres => await AcquirePostgresAsync(operationId, timeout, ct),
            StorageProvider.Sqlite => await AcquireSqliteAsync(operationId, timeout, ct),
            _ => throw new InvalidOperationException("Unknown storage provider."),
        };
    }

    private async Task<IAsyncDisposable> AcquirePostgresAsync(Guid operationId, TimeSpan timeout, CancellationToken ct)
    {
        var key = LockKey(operationId);
        var connection = await database.OpenAsync(ct);
        try
        {
            var deadline = Clock.GetUtcNow() + timeout;
            while (true)
            {
                if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@key)", new { key }, cancellationToken: ct)))
                    return new PostgresLock(connection, key);
                if (Clock.GetUtcNow() >= deadline)
                    throw new OperationLockedException(operationId);
                await Task.Delay(PollInterval, Clock, ct);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<IAsyncDisposable> AcquireSqliteAsync(Guid operationId, TimeSpan timeout, CancellationToken ct)
    {
        var key = operationId.ToString("N");
        var owner = Guid.NewGuid().ToString("N");
        var lifetime = options.Value.DistributedLockLifetime;
        var deadline = Clock.GetUtcNow() + timeout;
        while (true)
        {
            var now = Clock.GetUtcNow();
            await using (var connection = await database.OpenAsync(ct))
            {
                // Waiters only read (WAL readers never block the writer) until the lease looks free: polling with writes
                // would compete with the holder's own work for SQLite's single write lock.
                var expiresAt = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT expires_at FROM operation_locks WHERE lock_key = @key", new { key }, cancellationToken: ct));
                // One statement, so SQLite's single writer makes "free or expired → mine" atomic across processes.
                if ((expiresAt is null || expiresAt < now.ToUnixTimeMilliseconds())
                    && await connection.ExecuteAsync(new CommandDefinition("""
                        INSERT INTO operation_locks (lock_key, owner, expires_at) VALUES (@key, @owner, @expires)
                        ON CONFLICT (lock_key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                        WHERE operation_locks.expires_at < @now
                        """, new { key, owner, expires = (now + lifetime).ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() }, cancellationToken: ct)) == 1)
                {
                    return new SqliteLease(database, key, owner, lifetime, logger);
                }
            }
            if (Clock.GetUtcNow() >= deadline)
                throw new OperationLockedException(operationId);
            await Task.Delay(PollInterval, Clock, ct);
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

    /// A held lease: renewed three times per lifetime until released, so only a dead holder's lease runs out. A failed
    /// renewal (a busy database) is tried again sooner rather than ending the renewals.
    private sealed class SqliteLease : IAsyncDisposable
    {
        private readonly BotDatabase database;
        private readonly string key;
        private readonly string owner;
        private readonly TimeSpan lifetime;
        private readonly ILogger logger;
        private readonly CancellationTokenSource stop = new();
        private readonly Task renewing;

        public SqliteLease(BotDatabase database, string key, string owner, TimeSpan lifetime, ILogger logger)
        {
            this.database = database;
            this.key = key;
            this.owner = owner;
            this.lifetime = lifetime;
            this.logger = logger;
            renewing = RenewAsync(stop.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await renewing;
            stop.Dispose();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var connection = await database.OpenAsync(CancellationToken.None);
                    await connection.ExecuteAsync("DELETE FROM operation_locks WHERE lock_key = @key AND owner = @owner", new { key, owner });
                    return;
                }
                catch (DbException e) when (attempt < 3)
                {
                    logger.LogWarning("Releasing lock {LockKey} failed ({ErrorType}); trying again", key, e.GetType().Name);
                }
                catch (DbException e)
                {
                    // Not released: it expires on its own once renewals have stopped.
                    logger.LogWarning("Lock {LockKey} not released ({ErrorType}); it expires after {Lifetime}", key, e.GetType().Name, lifetime);
                    return;
                }
            }
        }

        private async Task RenewAsync(CancellationToken ct)
        {
            var wait = lifetime / 3;
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(wait, Clock, ct);
                    await using var connection = await database.OpenAsync(ct);
                    await connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE operation_locks SET expires_at = @expires WHERE lock_key = @key AND owner = @owner",
                        new { key, owner, expires = (Clock.GetUtcNow() + lifetime).ToUnixTimeMilliseconds() }, cancellationToken: ct));
                    wait = lifetime / 3;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (DbException e)
                {
                    logger.LogWarning("Renewing lock {LockKey} failed ({ErrorType}); trying again", key, e.GetType().Name);
                    wait = lifetime / 10;
                }
            }
        }
    }
}

/// <summary>Another run of the same operation holds its lock; Hangfire retries the job later.</summary>
public sealed class OperationLockedException(Guid operationId)
    : Exception($"Operation {operationId} is being worked on by another job run.");
