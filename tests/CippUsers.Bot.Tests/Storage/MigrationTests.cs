using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Postgres;
using Dapper;

namespace CippUsers.Bot.Tests.Storage;

public sealed class MigrationTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Instances_starting_together_apply_each_step_once(StorageProvider provider)
    {
        var location = await TestStorage.NewLocationAsync(provider, postgres);
        var instances = new List<TestStorage>();
        for (var i = 0; i < 4; i++)
            instances.Add(await TestStorage.OpenAsync(provider, location, migrate: false));
        try
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var runs = instances.Select(s => Task.Run(async () => { await gate.Task; return await s.Migrator.MigrateAsync(Ct); }, Ct)).ToArray();
            gate.SetResult();
            var applied = await Task.WhenAll(runs);

            var steps = Migrations.For(provider).Count;
            Assert.Equal(steps, applied.Sum());
            Assert.Equal(0, await instances[0].Migrator.MigrateAsync(Ct));
            await using var connection = await instances[0].Database.OpenAsync(Ct);
            var versions = (await connection.QueryAsync<long>("SELECT version FROM schema_version ORDER BY version")).ToList();
            Assert.Equal(Enumerable.Range(1, steps).Select(v => (long)v), versions);
            // The schema works.
            await instances[1].Operations.CreateAsync(TestStorage.NewOperation(TimeProvider.System.GetUtcNow()), Ct);
        }
        finally
        {
            foreach (var instance in instances)
                await instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sqlite_database_is_in_wal_mode_with_a_busy_timeout()
    {
        await using var storage = await TestStorage.FreshAsync(StorageProvider.Sqlite, postgres);
        await using var connection = await storage.Database.OpenAsync(Ct);

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(10_000, await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
        Assert.True(File.Exists(storage.Database.SqliteFilePath));
    }
}
