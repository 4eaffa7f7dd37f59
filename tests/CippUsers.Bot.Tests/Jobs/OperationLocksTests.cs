using CippUsers.Bot.Jobs;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Postgres;
using CippUsers.Bot.Tests.Storage;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Tests.Jobs;

/// The per-key lock jobs and Sherweb purchases rely on: one holder at a time across bot instances, even when many async
/// callers share the thread pool, and a dead holder's lock (SQLite lease) is taken over once it has expired.
public sealed class OperationLocksTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task FortyCallersOnTwoInstances_NeverHoldTheSameLockTogether(StorageProvider provider)
    {
        var location = await TestStorage.NewLocationAsync(provider, postgres);
        await using var first = await TestStorage.OpenAsync(provider, location);
        await using var second = await TestStorage.OpenAsync(provider, location, migrate: false);
        var patient = TimeSpan.FromSeconds(60);
        var instances = new[] { Locks(first.Database, timeout: patient), Locks(second.Database, timeout: patient) };
        var key = Guid.NewGuid();
        var inside = 0;
        var overlaps = 0;
        var entered = 0;

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            await using var held = await instances[i % 2].AcquireAsync(key, Ct);
            if (Interlocked.Increment(ref inside) > 1)
                Interlocked.Increment(ref overlaps);
            Interlocked.Increment(ref entered);
            await Task.Delay(5, Ct);
            Interlocked.Decrement(ref inside);
        }, Ct)));

        Assert.Equal(40, entered);
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task Sqlite_AnExpiredLeaseIsTakenOver_ALiveOneIsNot()
    {
        await using var storage = await TestStorage.OpenAsync(StorageProvider.Sqlite, await TestStorage.NewLocationAsync(StorageProvider.Sqlite, postgres));
        var locks = Locks(storage.Database);
        var dead = Guid.NewGuid();
        var alive = Guid.NewGuid();
        var now = TimeProvider.System.GetUtcNow();
        await using (var connection = await storage.Database.OpenAsync(Ct))
        {
            // What a killed holder leaves: a lease nobody renews. One ran out a moment ago, one has a minute left.
            await connection.ExecuteAsync("INSERT INTO operation_locks (lock_key, owner, expires_at) VALUES (@dead, 'killed', @past), (@alive, 'other', @future)",
                new { dead = dead.ToString("N"), alive = alive.ToString("N"), past = now.AddSeconds(-1).ToUnixTimeMilliseconds(), future = now.AddMinutes(1).ToUnixTimeMilliseconds() });
        }

        await using (await locks.AcquireAsync(dead, Ct))
        {
            await Assert.ThrowsAsync<OperationLockedException>(() => locks.AcquireAsync(dead, Ct));
        }
        await Assert.ThrowsAsync<OperationLockedException>(() => locks.AcquireAsync(alive, Ct));

        // Released: the next caller gets it at once, and the live lease of the other holder is untouched.
        await using (await locks.AcquireAsync(dead, Ct)) { }
        await using var check = await storage.Database.OpenAsync(Ct);
        Assert.Equal("other", await check.ExecuteScalarAsync<string>("SELECT owner FROM operation_locks WHERE lock_key = @key", new { key = alive.ToString("N") }));
    }

    [Fact]
    public async Task Sqlite_AHeldLeaseIsRenewed_SoItOutlivesItsLifetime()
    {
        await using var storage = await TestStorage.OpenAsync(StorageProvider.Sqlite, await TestStorage.NewLocationAsync(StorageProvider.Sqlite, postgres));
        var locks = Locks(storage.Database, lifetime: TimeSpan.FromSeconds(1));
        var key = Guid.NewGuid();

        await using (await locks.AcquireAsync(key, Ct))
        {
            await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
            await Assert.ThrowsAsync<OperationLockedException>(() => locks.AcquireAsync(key, Ct));
        }
    }

    private static OperationLocks Locks(BotDatabase database, TimeSpan? lifetime = null, TimeSpan? timeout = null) => new(database, Options.Create(new JobsOptions
    {
        OperationLockTimeout = timeout ?? TimeSpan.FromMilliseconds(300),
        DistributedLockLifetime = lifetime ?? TimeSpan.FromSeconds(30),
    }), NullLogger<OperationLocks>.Instance);
}
