using CippUsers.Bot.Conversations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Bot.Tests.Storage;

/// <summary>One bot instance's storage (its own service provider, pools and stores) on a shared test database.</summary>
public sealed class TestStorage : IAsyncDisposable
{
    private TestStorage(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }
    public BotDatabase Database => Services.GetRequiredService<BotDatabase>();
    public PendingOperationStore Operations => Services.GetRequiredService<PendingOperationStore>();
    public AuditLog Audit => Services.GetRequiredService<AuditLog>();
    public ConversationStore Conversations => Services.GetRequiredService<ConversationStore>();
    public PreferenceStore Preferences => Services.GetRequiredService<PreferenceStore>();
    public DatabaseMigrator Migrator => Services.GetRequiredService<DatabaseMigrator>();

    public static IReadOnlyDictionary<string, string?> Settings(StorageProvider provider, string location) => provider switch
    {
        StorageProvider.Sqlite => new Dictionary<string, string?> { ["Storage:Provider"] = "Sqlite", ["Storage:SqlitePath"] = location },
        StorageProvider.Postgres => new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres", ["Storage:PostgresConnectionString"] = location },
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    /// <summary>A new storage instance on <paramref name="location"/> (SQLite file path or PostgreSQL connection string).</summary>
    public static async Task<TestStorage> OpenAsync(StorageProvider provider, string location, bool migrate = true, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(provider, location)).Build();
        var services = new ServiceCollection().AddLogging();
        if (time is not null)
            services.AddSingleton(time);
        services.AddCippStorage(configuration);
        var storage = new TestStorage(services.BuildServiceProvider(validateScopes: true));
        if (migrate)
            await storage.Migrator.MigrateAsync(TestContext.Current.CancellationToken);
        return storage;
    }

    /// <summary>A fresh empty database for <paramref name="provider"/>: a temp SQLite file or a new PostgreSQL database.</summary>
    public static async Task<string> NewLocationAsync(StorageProvider provider, PostgresServer postgres) => provider switch
    {
        StorageProvider.Sqlite => Path.Combine(Path.GetTempPath(), "cippusers-tests", Guid.NewGuid().ToString("N"), "bot.db"),
        StorageProvider.Postgres => await postgres.CreateDatabaseAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public static async Task<TestStorage> FreshAsync(StorageProvider provider, PostgresServer postgres, TimeProvider? time = null) =>
        await OpenAsync(provider, await NewLocationAsync(provider, postgres), time: time);

    public ValueTask DisposeAsync() => Services.DisposeAsync();

    public static TheoryData<StorageProvider> Providers => [StorageProvider.Sqlite, StorageProvider.Postgres];

    public static ConversationAddress Channel(string tenantId, string channel = "19:helpdesk@thread.tacv2") =>
        new("https://smba.trafficmanager.net/emea/", channel, ConversationKind.Channel, tenantId, "19:team@thread.tacv2", channel, "28:bot", "CippUsers");

    public static PendingOperation NewOperation(DateTimeOffset now, string tenantId = "tenant-a", string requester = "aad-tech-1",
        OperationState state = OperationState.AwaitingConfirmation, TimeSpan? lifetime = null) => new()
        {
            Id = Guid.NewGuid(),
            RequesterAadObjectId = requester,
            RequesterName = "Tech One",
            TenantId = tenantId,
            TenantName = "Contoso",
            ActionId = "set-sign-in-state",
            Targets = [new("u1", "Jane Doe", "jane@contoso.com"), new("u2", "Tom Roe", "tom@contoso.com")],
            Parameters = new() { ["enabled"] = false, ["reason"] = "offboarding" },
            State = state,
            CreatedAt = now,
            ExpiresAt = now + (lifetime ?? TimeSpan.FromMinutes(15)),
            CorrelationId = "corr-1",
        };
}
