using CippUsers.Bot.Catalog;
using CippUsers.Bot.Features.BulkAdd;
using CippUsers.Bot.Features.Guests;
using CippUsers.Bot.Teams;

namespace CippUsers.Bot.Features.Imports;

/// Wiring for Bulk Add Users, Bulk Invite Guests and Invite Guest. Needs AddCippGraph, AddCippJobs, AddCippSafety and
/// AddCippAddUser (UserProvisioning).
internal static class ImportsSetup
{
    /// The import actions as the access policy knows them (Access:Actions may override their policy by these ids).
    public static IReadOnlyList<ActionDescriptor> Actions { get; } = [BulkAddKind.Descriptor, GuestImportKind.Descriptor];

    public static IServiceCollection AddCippImports(this IServiceCollection services)
    {
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ImportRowStore>();
        services.AddSingleton<ImportPasswords>();
        services.AddTransient<ImportJobRunner>();
        services.AddSingleton<BulkAddKind>();
        services.AddSingleton<IImportKind>(sp => sp.GetRequiredService<BulkAddKind>());
        services.AddSingleton<GuestImportKind>();
        services.AddSingleton<IImportKind>(sp => sp.GetRequiredService<GuestImportKind>());
        services.AddTransient<BulkAddJob>();
        services.AddTransient<BulkInviteJob>();
        services.AddSingleton<ImportFeature>();
        services.AddSingleton<IFeature>(sp => sp.GetRequiredService<ImportFeature>());
        services.AddFeature<ImportFileFeature>();
        services.AddFeature<InviteGuestFeature>();
        return services;
    }
}
