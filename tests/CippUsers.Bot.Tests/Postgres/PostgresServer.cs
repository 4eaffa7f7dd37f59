using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

[assembly: AssemblyFixture(typeof(CippUsers.Bot.Tests.Postgres.PostgresServer))]

namespace CippUsers.Bot.Tests.Postgres;

/// <summary>
/// A throw-away PostgreSQL cluster for the test run: initdb + pg_ctl in a temp directory, listening on a free
/// 127.0.0.1 port, run as the system user "cippusers-pg" when the tests run as root, stopped and deleted at the end.
/// When CI=true a missing PostgreSQL fails the tests; locally (no initdb, CI unset) the PostgreSQL tests are skipped.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string SystemUser = "cippusers-pg";
    private string? _root;
    private string? _bin;
    private bool _asSystemUser;
    private int _databaseCounter;

    public bool Available { get; private set; }
    public string? UnavailableReason { get; private set; }
    public int Port { get; private set; }

    public async ValueTask InitializeAsync()
    {
        _bin = FindBinDirectory();
        if (_bin is null)
        {
            UnavailableReason = "PostgreSQL (initdb under /usr/lib/postgresql/*/bin) is not installed.";
            if (IsCi)
                throw new InvalidOperationException(UnavailableReason + " CI=true, so PostgreSQL tests must run: install the 'postgresql' package.");
            return;
        }

        _root = Path.Combine(Path.GetTempPath(), "cippusers-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_root);
        _asSystemUser = Environment.UserName == "root";
        if (_asSystemUser)
        {
            if (await RunAsync("id", ["-u", SystemUser], asUser: false, throwOnError: false) != 0)
                await RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SystemUser], asUser: false);
            await RunAsync("chown", ["-R", SystemUser, _root], asUser: false);
        }

        var data = Path.Combine(_root, "data");
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], asUser: true);
        Port = FreePort();
        var settings = $"-c listen_addresses=127.0.0.1 -p {Port} -c unix_socket_directories={_root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(_root, "server.log"), "-o", settings, "-w", "-t", "60", "start"], asUser: true);
        Available = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_bin is not null && _root is not null)
        {
            if (Available)
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"], asUser: true, throwOnError: false);
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Skips the calling test when PostgreSQL is unavailable locally (never in CI: the fixture failed there).</summary>
    public void SkipIfUnavailable() => Assert.SkipWhen(!Available, UnavailableReason ?? "PostgreSQL is unavailable.");

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        SkipIfUnavailable();
        var name = $"t{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid().ToString("N")[..8]}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    private string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, MaxPoolSize = 60, Timeout = 30 }.ToString();

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string? FindBinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<int> RunAsync(string file, string[] args, bool asUser, bool throwOnError = true)
    {
        var start = new ProcessStartInfo
        {
            FileName = asUser && _asSystemUser ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root ?? Path.GetTempPath(),
        };
        if (asUser && _asSystemUser)
        {
            foreach (var a in (string[])["-u", SystemUser, "--", file])
                start.ArgumentList.Add(a);
        }
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && throwOnError)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
        return process.ExitCode;
    }
}
