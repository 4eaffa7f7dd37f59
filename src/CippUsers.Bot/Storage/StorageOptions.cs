namespace CippUsers.Bot.Storage;

public enum StorageProvider { Sqlite, Postgres }

/// <summary>Where the bot keeps pending operations, audit log, conversation references and preferences.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>SQLite database file; a relative path is taken from the content root.</summary>
    public string SqlitePath { get; set; } = "data/cippusers.db";

    /// <summary>Npgsql connection string; required when <see cref="Provider"/> is Postgres.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>How long a SQLite writer waits for the file lock before failing.</summary>
    public int SqliteBusyTimeoutMilliseconds { get; set; } = 10_000;

    internal static IEnumerable<string> Validate(StorageOptions options)
    {
        if (!Enum.IsDefined(options.Provider))
            yield return $"{Section}:Provider must be Sqlite or Postgres.";
        if (options.Provider == StorageProvider.Sqlite && string.IsNullOrWhiteSpace(options.SqlitePath))
            yield return $"{Section}:SqlitePath is required when {Section}:Provider is Sqlite.";
        if (options.Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(options.PostgresConnectionString))
            yield return $"{Section}:PostgresConnectionString is required when {Section}:Provider is Postgres.";
        if (options.SqliteBusyTimeoutMilliseconds is < 100 or > 600_000)
            yield return $"{Section}:SqliteBusyTimeoutMilliseconds must be between 100 and 600000.";
    }
}
