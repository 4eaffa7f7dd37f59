using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CippUsers.Bot.Teams;

public static class FeatureServiceCollectionExtensions
{
    /// <summary>Registers a feature; its <see cref="IFeature.Map"/> runs once when the route table is built.</summary>
    public static IServiceCollection AddFeature<TFeature>(this IServiceCollection services)
        where TFeature : class, IFeature
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFeature, TFeature>());
        return services;
    }
}
