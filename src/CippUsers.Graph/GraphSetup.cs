using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CippUsers.Graph;

/// <summary>Registers the Graph operations library.</summary>
public static class GraphSetup
{
    /// <summary>Binds and validates <see cref="GraphOptions"/> (section "Graph") and registers the operations.</summary>
    public static IServiceCollection AddCippGraph(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GraphOptions>()
            .Bind(configuration.GetSection(GraphOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GraphOptions>, GraphOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();

        services.AddSingleton<CustomerTenants>();
        services.AddSingleton<TenantWriteLimiters>();
        services.AddSingleton(sp => new TenantClients(sp.GetRequiredService<IOptions<GraphOptions>>(), sp.GetRequiredService<TenantWriteLimiters>()));
        services.AddSingleton<RecentlyCreated>();
        services.AddSingleton<GraphCalls>();
        services.AddSingleton<GraphBatch>();

        services.AddSingleton(sp => new UserOperations(sp.GetRequiredService<GraphCalls>(), sp.GetRequiredService<GraphBatch>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<UserOperations>>()));
        services.AddSingleton(sp => new UserExport(sp.GetRequiredService<GraphCalls>(), sp.GetRequiredService<LicenseOperations>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<UserExport>>()));
        services.AddSingleton(sp => new DomainOperations(sp.GetRequiredService<GraphCalls>()));
        services.AddSingleton(sp => new LicenseOperations(sp.GetRequiredService<GraphCalls>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<LicenseOperations>>()));
        services.AddSingleton(sp => new UserActivityOperations(sp.GetRequiredService<GraphCalls>()));
        services.AddSingleton(sp => new GroupOperations(sp.GetRequiredService<GraphCalls>(), sp.GetRequiredService<GraphBatch>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<GroupOperations>>()));
        services.AddSingleton(sp => new ManagerOperations(sp.GetRequiredService<GraphCalls>()));
        services.AddSingleton<InvitationLimiters>();
        services.AddSingleton(sp => new InvitationOperations(sp.GetRequiredService<GraphCalls>(), sp.GetRequiredService<InvitationLimiters>()));
        Exchange.ExchangeSetup.AddCippExchange(services, configuration);
        return services;
    }
}
