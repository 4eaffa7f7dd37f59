using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CippUsers.Bot.Storage;

/// <summary>
/// Applies <see cref="Migrations"/> once, even when several bot instances start together:
/// PostgreSQL serialises them with an advisory lock, SQLite with BEGIN IMMEDIATE (the file's write lock).
/// </summary>
public sealed partial class DatabaseMigrator(BotDatabase database, TimeProvider time, ILogger<DatabaseMigrator> logger) : IHostedService
{
    // Any constant works; it only has to be the same for every instance of this bot.
    private const long PostgresLockKey = 0x43495050_55534552; // "CIPPUSER"

    private const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)";

    /// <returns>How many steps this call applied (0 when the schema was already current).</returns>
    public async Task<int> MigrateAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return database.Provider switch
        {
            StorageProvider.Sqlite => await MigrateSqliteAsync((SqliteConnection)connection, ct),
            StorageProvider.Postgres => await MigratePostgresAsync(connection, ct),
            _ => throw new InvalidOperationException("Unknown storage provider."),
        };
    }

    private async Task<int> MigrateSqliteAsync(SqliteConnection connection, CancellationToken ct)
    {
        // WAL lets readers run while one writer writes; the setting is stored in the file.
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: ct));
        await using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: waits for the write lock
        var applied = await ApplyAsync(connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return applied;
    }

    private async Task<int> MigratePostgresAsync(DbConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = PostgresLockKey }, cancellationToken: ct));
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var applied = await ApplyAsync(connection, transaction, ct);
            await transaction.CommitAsync(ct);
            return applied;
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = PostgresLockKey }, cancellationToken: CancellationToken.None));
        }
    }

    private async Task<int> ApplyAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(CreateVersionTable, transaction: transaction, cancellationToken: ct));
        var current = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(MAX(version), 0) FROM schema_version", transaction: transaction, cancellationToken: ct));
        var applied = 0;
        foreach (var migration in Migrations.For(database.Provider).Where(m => m.Version > current).OrderBy(m => m.Version))
        {
            foreach (var statement in migration.Statements)
                await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (@version, @description, @at)",
                new { version = migration.Version, description = migration.Description, at = time.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction, cancellationToken: ct));
            LogApplied(migration.Version, migration.Description);
            applied++;
        }
        return applied;
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema step {Version} applied: {Description}")]
    private partial void LogApplied(int version, string description);
}
