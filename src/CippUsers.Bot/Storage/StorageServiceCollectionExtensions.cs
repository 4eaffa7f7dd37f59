using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Storage options (section "Storage", validated at start), <see cref="BotDatabase"/>, the stores, and
    /// <see cref="DatabaseMigrator"/> as a hosted service that brings the schema up to date before the bot serves.
    /// </summary>
    public static IServiceCollection AddCippStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .Validate(o => !StorageOptions.Validate(o).Any(), "Storage settings are invalid: check Storage:Provider, Storage:SqlitePath and Storage:PostgresConnectionString.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BotDatabase>();
        services.TryAddSingleton<DatabaseMigrator>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrator>());
        services.TryAddSingleton<PendingOperationStore>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<ConversationStore>();
        services.TryAddSingleton<PreferenceStore>();
        return services;
    }
}
