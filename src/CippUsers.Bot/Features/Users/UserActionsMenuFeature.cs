using System.Text.Json;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Teams;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// The user card's action menu and the list's bulk menu: both start the catalog action through the pending-operation
/// workflow (confirmation → approval where policy says → job with per-user results). The user ids on the card are
/// untrusted: each is read again from the tenant before the operation is created.
internal sealed class UserActionsMenuFeature(
    CustomerTenants tenants,
    UserOperations users,
    LicenseOperations licenses,
    GroupOperations groups,
    ActionCatalog catalog,
    UserListSessions sessions,
    OperationWorkflow workflow,
    IEnumerable<IActionForm> forms) : IFeature
{
    public const int MaxBulkTargets = UsersFeature.PageSize;

    public void Map(BotRoutes routes)
    {
        routes.Verb(UsersVerbs.Act, ActAsync);
        routes.Verb(UsersVerbs.Bulk, BulkAsync);
        routes.Verb(EditUserForm.SubmitVerb, EditSubmitAsync);
    }

    /// The edit card's submit: the user is read again, only changed fields become parameters, then confirmation.
    private async Task EditSubmitAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var tenant = tenants.Find(UsersFeature.Read(data, "t") ?? "");
        var action = catalog.Find(EditUserRunner.Id);
        var userId = UsersFeature.Read(data, "u");
        if (tenant is null || action is null || string.IsNullOrWhiteSpace(userId))
        {
            turn.RespondWithMessage("That edit card is not valid any more.");
            return;
        }

        if (workflow.CheckRequest(turn.Caller, action, tenant, 1) is { } refusal)
        {
            turn.RespondWithMessage($"{action.Title}: not done. {refusal}");
            return;
        }

        var read = await users.GetAsync(tenant.TenantId, userId, ct);
        if (!read.Succeeded)
        {
            turn.RespondWithMessage($"The user could not be read in {tenant.DisplayName}: {read.Failure!.Message}");
            return;
        }

        var before = read.Value!;
        var after = EditUserForm.Apply(before, data);
        var invalid = EditUserForm.Invalid(after);
        var (memberships, membershipError) = invalid is null
            ? await EditUserMemberships.ChangesAsync(data, tenant, before, users, licenses, groups, ct)
            : ([], null);
        if ((invalid ?? membershipError) is { } error)
        {
            var choices = await EditUserMemberships.ReadAsync(licenses, groups, tenant.TenantId, before.Id, ct) with { Submitted = EditUserMemberships.SubmittedValues(data) };
            turn.RespondWithCard(EditUserForm.Card(tenant, after, error, EditUserForm.Original(data), choices));
            return;
        }

        var parameters = EditUserForm.Parameters(before, after);
        foreach (var (key, value) in memberships)
        {
            parameters[key] = value;
        }

        if (parameters.Count == 0)
        {
            turn.RespondWithMessage($"Nothing changed on {before.UserPrincipalName}; nothing was sent.");
            return;
        }

        await workflow.StartAsync(turn, action, tenant, [new OperationTarget(before.Id, before.DisplayName, before.UserPrincipalName)], [], parameters, ct);
        if (turn.IsInvoke)
        {
            turn.RespondWithMessage($"{action.Title}: the confirmation card for {string.Join(", ", parameters.Keys.Where(k => !k.StartsWith('_')))} is in the chat.");
        }
    }

    private Task ActAsync(BotTurn turn, JsonElement data, CancellationToken ct)
        => StartAsync(turn, UsersFeature.Read(data, "t"), UsersFeature.Read(data, "a"), [UsersFeature.Read(data, "u") ?? ""], ct);

    private async Task BulkAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var session = sessions.Find(UsersFeature.Read(data, "s"), turn.Caller.AadObjectId);
        if (session is null)
        {
            turn.RespondWithMessage("This list has expired. Send `users <tenant>` again.");
            return;
        }

        var ids = (UsersFeature.Read(data, UsersCards.SelectedInput) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        await StartAsync(turn, session.TenantId, UsersFeature.Read(data, UsersCards.BulkActionInput), ids, ct);
    }

    private async Task StartAsync(BotTurn turn, string? tenantId, string? actionId, IReadOnlyList<string> userIds, CancellationToken ct)
    {
        var tenant = tenants.Find(tenantId ?? "");
        var action = catalog.Find(actionId ?? "");
        if (tenant is null || action is null)
        {
            turn.RespondWithMessage("That action is not valid any more.");
            return;
        }

        if (userIds.Count == 0 || userIds.Any(string.IsNullOrWhiteSpace))
        {
            turn.RespondWithMessage("Select at least one user.");
            return;
        }

        if (userIds.Count > MaxBulkTargets || (userIds.Count > 1 && !action.AllowsBulk))
        {
            turn.RespondWithMessage($"{action.Title} cannot run on {userIds.Count} users from this card.");
            return;
        }

        // Refuse before reading anyone (same order as the typed commands).
        if (workflow.CheckRequest(turn.Caller, action, tenant, userIds.Count) is { } refusal)
        {
            turn.RespondWithMessage($"{action.Title}: not done. {refusal}");
            return;
        }

        var targets = new List<OperationTarget>();
        foreach (var id in userIds)
        {
            var user = await users.GetAsync(tenant.TenantId, id, ct);
            if (!user.Succeeded)
            {
                turn.RespondWithMessage($"A selected user could not be read in {tenant.DisplayName}: {user.Failure!.Message} Nothing was started.");
                return;
            }

            targets.Add(new OperationTarget(user.Value!.Id, user.Value.DisplayName, user.Value.UserPrincipalName));
        }

        if (action.Id == EditPropertiesRunner.Id)
        {
            // Edit Properties is the patch wizard: properties and values first, then a dry run, then confirmation.
            var text = targets.Count == 1 ? targets[0].DisplayName : $"{targets.Count} selected users";
            turn.RespondWithCard(PatchWizard.Card(tenant, text, new System.Text.Json.Nodes.JsonObject { ["t"] = tenant.TenantId, ["ids"] = string.Join(',', targets.Select(t => t.Id)) }));
            return;
        }

        if (targets.Count == 1 && forms.FirstOrDefault(f => f.ActionId == action.Id) is { } form
            && await form.CardAsync(tenant, targets[0], ct) is { } card)
        {
            turn.RespondWithCard(card);
            return;
        }

        await workflow.StartAsync(turn, action, tenant, targets, [], new Dictionary<string, string>(), ct);
        if (turn.IsInvoke)
        {
            turn.RespondWithMessage($"{action.Title}: the confirmation card for {targets.Count} user(s) is in the chat.");
        }
    }
}
