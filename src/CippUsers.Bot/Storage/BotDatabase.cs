using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CippUsers.Bot.Storage;

/// <summary>Opens connections to the configured database (SQLite file or PostgreSQL).</summary>
public sealed class BotDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqliteConnectionString;
    private readonly int _busyTimeoutMilliseconds;

    public BotDatabase(IOptions<StorageOptions> options, IHostEnvironment? environment = null)
    {
        var value = options.Value;
        Provider = value.Provider;
        _busyTimeoutMilliseconds = value.SqliteBusyTimeoutMilliseconds;
        switch (value.Provider)
        {
            case StorageProvider.Sqlite:
                SqliteFilePath = ResolvePath(value.SqlitePath, environment);
                var directory = Path.GetDirectoryName(SqliteFilePath);
                if (!string.IsNullOrEmpty(directory))
                    Directory.CreateDirectory(directory);
                _sqliteConnectionString = new SqliteConnectionStringBuilder
                {
                    DataSource = SqliteFilePath,
                    Mode = SqliteOpenMode.ReadWriteCreate,
                    Pooling = true,
                    DefaultTimeout = Math.Max(1, _busyTimeoutMilliseconds / 1000),
                }.ToString();
                break;
            case StorageProvider.Postgres:
                _postgres = NpgsqlDataSource.Create(value.PostgresConnectionString!);
                break;
            default:
                throw new InvalidOperationException("Unknown storage provider.");
        }
    }

    public StorageProvider Provider { get; }

    /// <summary>A relative path is taken from the host's content root (the working directory without a host).</summary>
    internal static string ResolvePath(string path, IHostEnvironment? environment) =>
        Path.GetFullPath(path, environment?.ContentRootPath ?? Directory.GetCurrentDirectory());

    /// <summary>Full path of the SQLite file (null for PostgreSQL).</summary>
    public string? SqliteFilePath { get; }

    public async ValueTask<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (_postgres is not null)
            return await _postgres.OpenConnectionAsync(ct);

        var connection = new SqliteConnection(_sqliteConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            using var pragma = connection.CreateCommand();
            // busy_timeout makes writers wait for the lock instead of failing; both are per connection.
            pragma.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
            await _postgres.DisposeAsync();
    }
}
