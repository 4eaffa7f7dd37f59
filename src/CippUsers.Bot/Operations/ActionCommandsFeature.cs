using CippUsers.Bot.Catalog;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Teams;
using CippUsers.Graph;

namespace CippUsers.Bot.Operations;

/// Every catalog action as a chat command ("disable jane@contoso.com tom@contoso.com", "enable jane in contoso"), plus the
/// verbs of the confirmation card. Commands resolve the tenant and the users, then open the confirmation card.
internal sealed class ActionCommandsFeature(ActionCatalog catalog, CustomerTenants tenants, UserOperations users, OperationWorkflow workflow, IEnumerable<IActionForm> forms) : IFeature
{
    private const int MaxMatchesShown = 10;

    public void Map(BotRoutes routes)
    {
        foreach (var action in catalog.All)
        {
            foreach (var command in action.Commands)
            {
                var description = catalog.IsAvailable(action.Id) ? command.Description : $"{command.Description} (not available yet)";
                routes.Command(command.Name, description, command.Example,
                    (turn, arguments, ct) => StartAsync(turn, action, command, arguments, ct), [.. command.Aliases]);
            }
        }

        routes.Verb(OperationVerbs.Confirm, workflow.ConfirmAsync);
        routes.Verb(OperationVerbs.Cancel, workflow.CancelAsync);
        routes.Verb(OperationVerbs.Choose, workflow.ChooseAsync);
    }

    private async Task StartAsync(BotTurn turn, ActionDescriptor action, ActionCommand command, string arguments, CancellationToken ct)
    {
        if (!catalog.IsAvailable(action.Id))
        {
            await turn.SendCardAsync(OperationCards.Refusal($"{action.Title}: not available yet",
                $"{action.Title} is listed so menus and help are complete, but the bot cannot run it yet. Nothing was changed."), ct);
            return;
        }

        var request = TargetRequest.Parse(arguments);
        if (request.Users.Count == 0)
        {
            await turn.SendTextAsync($"Which users? For example: `{command.Example}`", ct);
            return;
        }

        var tenantText = request.Tenant ?? request.FirstDomain;
        var tenant = tenantText is null ? null : tenants.Find(tenantText);
        if (tenant is null)
        {
            await turn.SendTextAsync(tenantText is null
                ? $"Which tenant? Add `in <tenant>`, for example: `{command.Name} {string.Join(", ", request.Users)} in contoso`."
                : $"I don't know the tenant “{tenantText}”. `tenants` lists the ones I manage.", ct);
            return;
        }

        // Refuse before looking anyone up: a reader or an out-of-scope tech learns nothing about the tenant's users.
        var refusal = workflow.CheckRequest(turn.Caller, action, tenant, request.Users.Count);
        if (refusal is not null)
        {
            await turn.SendCardAsync(OperationCards.Refusal($"{action.Title}: not done", refusal), ct);
            return;
        }

        var targets = new List<OperationTarget>();
        var ambiguous = new List<(string, IReadOnlyList<OperationTarget>)>();
        var notFound = new List<string>();
        foreach (var query in request.Users)
        {
            var found = await users.ResolveAsync(tenant.TenantId, query, ct);
            if (!found.Succeeded)
            {
                await turn.SendTextAsync($"I could not look up “{query}” in {tenant.DisplayName}: {found.Failure!.Message} Nothing was started.", ct);
                return;
            }

            var matches = found.Value!.Select(u => new OperationTarget(u.Id, u.DisplayName, u.UserPrincipalName)).ToList();
            switch (matches.Count)
            {
                case 0:
                    notFound.Add(query);
                    break;
                case 1:
                    targets.Add(matches[0]);
                    break;
                default:
                    ambiguous.Add((query, matches.Take(MaxMatchesShown).ToList()));
                    break;
            }
        }

        if (notFound.Count > 0)
        {
            await turn.SendTextAsync($"No user matches {string.Join(", ", notFound.Select(q => $"“{q}”"))} in {tenant.DisplayName}. Nothing was started.", ct);
            return;
        }

        // An action with its own card ("edit jane@contoso.com") opens it for one clearly named user.
        if (targets.Count == 1 && ambiguous.Count == 0 && forms.FirstOrDefault(f => f.ActionId == action.Id) is { } form
            && workflow.CheckRequest(turn.Caller, action, tenant, 1) is null
            && await form.CardAsync(tenant, targets[0], ct) is { } card)
        {
            await turn.SendCardAsync(card, ct);
            return;
        }

        await workflow.StartAsync(turn, action, tenant, [.. targets.DistinctBy(t => t.Id)], ambiguous, command.Preset, ct);
    }
}
