using CippUsers.Graph.Sherweb;

namespace CippUsers.Bot.Features.Sherweb;

/// Wiring for Sherweb licence purchase in Add User. Needs AddCippGraph, AddCippJobs and AddCippSafety.
internal static class SherwebSetup
{
    public static IServiceCollection AddCippSherwebPurchase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCippSherweb(configuration);
        services.AddOptions<SherwebPurchaseOptions>().Bind(configuration.GetSection(SherwebOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SherwebSeats>();
        services.AddSingleton<SherwebPurchase>();
        services.AddTransient<SherwebLicenseJob>();
        return services;
    }
}
