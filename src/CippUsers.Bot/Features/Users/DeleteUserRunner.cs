using CippUsers.Bot.Catalog;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// Delete User (cipp-behaviour.md §4.4): DELETE /users/{id}. Approval-gated by the catalog's policy; the user stays in
/// deleted users for 30 days, and the result says so.
internal sealed class DeleteUserRunner(UserOperations users) : IActionRunner
{
    public const string Id = "delete-user";

    public string ActionId => Id;

    public async Task<TargetOutcome> RunAsync(ActionRun run, ActionTarget target, CancellationToken ct)
    {
        var result = await users.DeleteAsync(run.TenantId, target.UserId, ct);
        if (result.Succeeded)
        {
            return TargetOutcome.Success("Deleted. It can be restored from deleted users for 30 days.");
        }

        return result.Failure!.Kind == GraphFailureKind.NotFound
            ? TargetOutcome.Success("Already gone: no such user (maybe deleted earlier; check deleted users).")
            : TargetOutcome.Failure(result.Failure.Message);
    }
}
