using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CippUsers.Bot.Tests.Operations;

/// The real bot (Kestrel, /api/messages, fake Teams connector) with storage, Hangfire jobs and the safety core, talking
/// to the tenant emulator over loopback HTTPS. Roles: Tech/SecondTech helpdesk, Approver helpdesk+approver, Admin admin,
/// Reader reader, Scoped helpdesk in the first tenant only. Bulk threshold 3.
public sealed class SafetyBotFixture : IAsyncLifetime
{
    public static readonly TestUser Admin = new("e5d4c3b2-a190-4f8e-9d7c-6b5a4f3e2d10", "Casey Admin", "29:casey-admin");
    public static readonly TestUser Reader = new("f6e5d4c3-b2a1-4098-8e7d-6c5b4a3f2e21", "Dana Reader", "29:dana-reader");
    public static readonly TestUser Scoped = new("a7f6e5d4-c3b2-4a19-9f8e-7d6c5b4a3f32", "Evan Scoped", "29:evan-scoped");

    private readonly string dataDirectory = Directory.CreateTempSubdirectory("cippusers-safety-").FullName;

    public EmulatorHost Emulator { get; private set; } = null!;

    public BotHarness Bot { get; private set; } = null!;

    public CapturingLoggerProvider Logs { get; } = new();

    public string DataDirectory => dataDirectory;

    public EmulatedTenantInfo FirstTenant => Emulator.Tenants[0];

    public EmulatedTenantInfo SecondTenant => Emulator.Tenants[1];

    public async ValueTask InitializeAsync()
    {
        Emulator = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false });
        Bot = await StartBotAsync(Emulator, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:SqlitePath"] = Path.Combine(dataDirectory, "bot.db"),
        }, Logs);
    }

    /// <summary>
    /// A bot host with this fixture's roles, tenants and approval settings, talking to <paramref name="emulator"/>;
    /// <paramref name="storage"/> picks the database (several hosts may share one PostgreSQL database).
    /// </summary>
    public static Task<BotHarness> StartBotAsync(EmulatorHost emulator, IReadOnlyDictionary<string, string?> storage, ILoggerProvider? logs = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:QueuePollInterval"] = "00:00:00.200",
            ["Approvals:BulkThreshold"] = "3",
            ["Approvals:ExpiryMinutes"] = "15",
        };

        AddPrincipal(settings, 0, TestUsers.Tech, "helpdesk", "*");
        AddPrincipal(settings, 1, TestUsers.SecondTech, "helpdesk", "*");
        AddPrincipal(settings, 2, TestUsers.Approver, "helpdesk,approver", "*");
        AddPrincipal(settings, 3, Admin, "admin", "*");
        AddPrincipal(settings, 4, Reader, "reader", "*");
        AddPrincipal(settings, 5, Scoped, "helpdesk", emulator.Tenants[0].DefaultDomain);
        foreach (var (key, value) in storage)
        {
            settings[key] = value;
        }

        return BotHarness.StartAsync(options =>
        {
            options.UseEmulatorHost(emulator);
            foreach (var (key, value) in settings)
            {
                options.Settings[key] = value;
            }

            if (logs is not null)
            {
                options.ConfigureServices = services => services.AddSingleton(logs);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Bot is not null)
        {
            await Bot.DisposeAsync();
        }

        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }
    }

    public T Service<T>() where T : notnull => Bot.Services.GetRequiredService<T>();

    /// Enabled, cloud-only members of a tenant that no other test uses (each test takes its own).
    public IReadOnlyList<JsonObject> TakeUsers(EmulatedTenantInfo tenant, int count)
    {
        lock (taken)
        {
            var users = EligibleUsers(Emulator, tenant)
                .Where(u => taken.Add(u["id"]!.GetValue<string>()))
                .Take(count)
                .ToList();
            Assert.Equal(count, users.Count);
            return users;
        }
    }

    /// Enabled, cloud-only members of a tenant: what Set Sign-In State may disable.
    public static IEnumerable<JsonObject> EligibleUsers(EmulatorHost emulator, EmulatedTenantInfo tenant)
        => emulator.State.Tenant(tenant.TenantId).Users()
                .Where(u => u["accountEnabled"]?.GetValue<bool>() == true
                            && u["onPremisesSyncEnabled"]?.GetValue<bool?>() != true
                            && u["userType"]?.GetValue<string>() != "Guest");

    public bool IsEnabled(EmulatedTenantInfo tenant, JsonObject user) => IsEnabled(Emulator, tenant, user);

    public static bool IsEnabled(EmulatorHost emulator, EmulatedTenantInfo tenant, JsonObject user)
        => emulator.State.Tenant(tenant.TenantId).FindUser(user["id"]!.GetValue<string>())!["accountEnabled"]!.GetValue<bool>();

    private readonly HashSet<string> taken = [];

    private static void AddPrincipal(Dictionary<string, string?> settings, int index, TestUser user, string roles, string tenant)
    {
        settings[$"Access:Principals:{index}:Id"] = user.AadObjectId;
        settings[$"Access:Principals:{index}:Name"] = user.Name;
        var list = roles.Split(',');
        for (var i = 0; i < list.Length; i++)
        {
            settings[$"Access:Principals:{index}:Roles:{i}"] = list[i];
        }

        settings[$"Access:Principals:{index}:Tenants:0"] = tenant;
    }
}

/// Keeps every formatted log line (with exception text) so tests can scan them for secrets.
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(lines, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// One bot and emulator for all safety-core flow tests (starting them is the slow part).
[CollectionDefinition(Name)]
public sealed class SafetyCollection : ICollectionFixture<SafetyBotFixture>
{
    public const string Name = "safety bot";
}
