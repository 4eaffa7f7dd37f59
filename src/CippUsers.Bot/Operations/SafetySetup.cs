using CippUsers.Bot.Access;
using CippUsers.Bot.Approvals;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Features.Audit;
using CippUsers.Bot.Features.NotifyHere;
using CippUsers.Bot.Features.Pending;
using CippUsers.Bot.Features.SignInState;
using CippUsers.Bot.Notifications;
using CippUsers.Bot.Secrets;
using CippUsers.Bot.Teams;

namespace CippUsers.Bot.Operations;

internal static class SafetySetup
{
    /// The safety core: catalog and its runners, access policy, pending-operation workflow, approvals, notifications,
    /// secret delivery, audit commands. Needs AddCippStorage, AddCippJobs, AddCippGraph and the bot host.
    public static IServiceCollection AddCippSafety(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApprovalOptions>().BindConfiguration(ApprovalOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<IActionRunner, SetSignInStateRunner>();

        services.AddSingleton<ActionCatalog>();
        services.AddSingleton<TechGroups>();
        services.AddSingleton<AccessPolicy>();
        services.AddSingleton<OperationAudit>();
        services.AddSingleton<ApprovalDecisions>();
        services.AddSingleton<OperationWorkflow>();
        services.AddSingleton<OperationRunner>();
        services.AddSingleton<HelpdeskNotifier>();
        services.AddSingleton<SecretDelivery>();
        services.AddHostedService<OperationExpiryService>();

        services.AddFeature<ActionCommandsFeature>();
        services.AddFeature<ApprovalsFeature>();
        services.AddFeature<PendingFeature>();
        services.AddFeature<AuditFeature>();
        services.AddFeature<NotifyHereFeature>();
        return services;
    }
}
