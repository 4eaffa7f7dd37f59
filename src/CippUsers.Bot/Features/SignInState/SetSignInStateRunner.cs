using CippUsers.Bot.Catalog;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.SignInState;

/// Set Sign In State (cipp-behaviour.md §4.10): PATCH accountEnabled. A user already in the wanted state is left alone;
/// for an AD-synced user the change is made but reported as a failure, because the next sync reverts it.
internal sealed class SetSignInStateRunner(UserOperations users) : IActionRunner
{
    public string ActionId => UserActions.SetSignInStateId;

    public async Task<TargetOutcome> RunAsync(ActionRun run, ActionTarget target, CancellationToken ct)
    {
        if (!bool.TryParse(run.Parameter(UserActions.EnabledInput), out var enable))
        {
            return TargetOutcome.Failure("No sign-in state was chosen.");
        }

        var wanted = enable ? "enabled" : "disabled";
        var current = await users.GetAsync(run.TenantId, target.UserId, ct);
        if (!current.Succeeded)
        {
            return TargetOutcome.Failure(current.Failure!.Message);
        }

        var user = current.Value!;
        if (user.AccountEnabled == enable)
        {
            return TargetOutcome.Success($"Sign-in was already {wanted}; nothing changed.");
        }

        var result = await users.SetAccountEnabledAsync(run.TenantId, target.UserId, enable, ct);
        if (!result.Succeeded)
        {
            return TargetOutcome.Failure(result.Failure!.Message);
        }

        return user.OnPremisesSyncEnabled
            ? TargetOutcome.Failure($"Sign-in {wanted} in the cloud, but the user is synced from on-premises AD: change it there too, or the next sync reverts it.")
            : TargetOutcome.Success($"Sign-in {wanted}.");
    }
}
