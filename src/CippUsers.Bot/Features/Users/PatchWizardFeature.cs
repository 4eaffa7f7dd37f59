using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Teams;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// The patch wizard (Edit Properties as CIPP's patch wizard): targets from the list card's selection or its whole
/// filtered list, properties and values on a card, a dry run of old → new per user, then the usual confirmation
/// workflow and a bulk job with per-user results (EditPropertiesRunner).
internal sealed class PatchWizardFeature(
    CustomerTenants tenants,
    UserOperations users,
    ActionCatalog catalog,
    UserListSessions sessions,
    OperationWorkflow workflow) : IFeature
{
    public void Map(BotRoutes routes)
    {
        routes.Verb(PatchWizard.OpenVerb, OpenAsync);
        routes.Verb(PatchWizard.PreviewVerb, PreviewAsync);
    }

    /// The wizard for every user of a list session (its search and filters).
    private async Task OpenAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var session = sessions.Find(UsersFeature.Read(data, "s"), turn.Caller.AadObjectId);
        if (session is null || tenants.Find(session.TenantId) is not { } tenant || catalog.Find(EditPropertiesRunner.Id) is not { } action)
        {
            turn.RespondWithMessage("This list has expired. Send `users <tenant>` again.");
            return;
        }

        if (workflow.CheckRequest(turn.Caller, action, tenant, 1) is { } refusal)
        {
            turn.RespondWithMessage($"{action.Title}: not done. {refusal}");
            return;
        }

        turn.RespondWithCard(PatchWizard.Card(tenant, Describe(session), new JsonObject { ["s"] = session.Id }));
        await Task.CompletedTask;
    }

    private async Task PreviewAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var action = catalog.Find(EditPropertiesRunner.Id)!;
        var session = sessions.Find(UsersFeature.Read(data, "s"), turn.Caller.AadObjectId);
        var tenant = tenants.Find(session?.TenantId ?? UsersFeature.Read(data, "t") ?? "");
        var ids = (UsersFeature.Read(data, "ids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (tenant is null || (session is null && ids.Count == 0))
        {
            turn.RespondWithMessage("This wizard has expired. Send `users <tenant>` again.");
            return;
        }

        var targetsData = session is not null ? new JsonObject { ["s"] = session.Id } : new JsonObject { ["t"] = tenant.TenantId, ["ids"] = string.Join(',', ids) };
        var targetsText = session is not null ? Describe(session) : $"{ids.Count} selected user(s)";
        var values = Enumerable.Range(1, PatchWizard.Slots)
            .SelectMany(i => new[] { PatchWizard.PropertyInput(i), PatchWizard.ValueInput(i) })
            .ToDictionary(k => k, k => UsersFeature.Read(data, k) ?? "");

        // The properties: each chosen slot with its value; a property chosen twice is a mistake, not a merge.
        var raw = new JsonObject();
        for (var slot = 1; slot <= PatchWizard.Slots; slot++)
        {
            var name = values[PatchWizard.PropertyInput(slot)].Trim();
            var value = values[PatchWizard.ValueInput(slot)].Trim();
            if (name.Length == 0 && value.Length == 0)
                continue;
            if (name.Length == 0)
            {
                turn.RespondWithCard(PatchWizard.Card(tenant, targetsText, targetsData, $"Value {slot} has no property.", values));
                return;
            }

            if (raw.ContainsKey(name))
            {
                turn.RespondWithCard(PatchWizard.Card(tenant, targetsText, targetsData, $"{name} is chosen twice.", values));
                return;
            }

            raw[name] = value;
        }

        var (sets, error) = raw.Count == 0
            ? ([], "Choose at least one property.")
            : EditPropertiesRunner.Requested(new Dictionary<string, string> { [EditPropertiesRunner.SetKey] = raw.ToJsonString() });
        if (error is not null)
        {
            turn.RespondWithCard(PatchWizard.Card(tenant, targetsText, targetsData, error, values));
            return;
        }

        if (session is null && ids.Count > UserActionsMenuFeature.MaxBulkTargets)
        {
            turn.RespondWithMessage($"{action.Title} cannot run on {ids.Count} users from this card.");
            return;
        }

        // Refuse before reading anyone; the count is checked again once the targets are known.
        if (workflow.CheckRequest(turn.Caller, action, tenant, Math.Max(1, ids.Count)) is { } refusal)
        {
            turn.RespondWithMessage($"{action.Title}: not done. {refusal}");
            return;
        }

        var (targets, readError) = session is not null ? await MatchingAsync(tenant, session, ct) : await ByIdAsync(tenant, ids, ct);
        if (readError is not null)
        {
            turn.RespondWithCard(PatchWizard.Card(tenant, targetsText, targetsData, readError, values));
            return;
        }

        var plans = targets.Select(u =>
        {
            var (changes, unchanged, refused) = EditPropertiesRunner.Plan(u, sets);
            return new PatchPlan(u, changes, unchanged, refused);
        }).ToList();
        var changing = plans.Where(p => p.WillChange).Select(p => new OperationTarget(p.User.Id, p.User.DisplayName, p.User.UserPrincipalName)).ToList();
        if (changing.Count > 0)
        {
            var parameters = new Dictionary<string, string>
            {
                ["property"] = string.Join(", ", sets.Select(s => s.Property.Name)),
                ["value"] = string.Join("; ", sets.Select(s => $"{s.Property.Name} → “{s.Value}”")),
                [EditPropertiesRunner.SetKey] = EditPropertiesRunner.SetParameter(sets),
            };
            await workflow.StartAsync(turn, action, tenant, changing, [], parameters, ct);
        }

        turn.RespondWithCard(PatchWizard.DryRun(tenant, plans, started: changing.Count > 0));
    }

    /// Every user of the list session's search and filters, page by page (at most PatchWizard.MaxTargets).
    private async Task<(List<TenantUser> Users, string? Error)> MatchingAsync(CustomerTenant tenant, UserListSession session, CancellationToken ct)
    {
        var found = new List<TenantUser>();
        var query = session.Filter.ToQuery(session.Search, 999);
        while (true)
        {
            var page = await users.ListPageAsync(tenant.TenantId, query, ct);
            if (!page.Succeeded)
                return (found, $"The users could not be listed: {page.Failure!.Message}");
            if (page.Value!.TotalCount is > PatchWizard.MaxTargets)
                return (found, $"{page.Value.TotalCount:N0} users match; the wizard changes at most {PatchWizard.MaxTargets:N0} at a time. Narrow the search or filters.");
            found.AddRange(page.Value.Users);
            if (found.Count > PatchWizard.MaxTargets)
                return (found, $"More than {PatchWizard.MaxTargets:N0} users match. Narrow the search or filters.");
            if (page.Value.NextLink is null)
                return (found, null);
            query = new UserQuery { NextLink = page.Value.NextLink, Top = 999 };
        }
    }

    private async Task<(List<TenantUser> Users, string? Error)> ByIdAsync(CustomerTenant tenant, IReadOnlyList<string> ids, CancellationToken ct)
    {
        var found = new List<TenantUser>();
        foreach (var id in ids)
        {
            var user = await users.GetAsync(tenant.TenantId, id, ct);
            if (!user.Succeeded)
                return (found, $"A selected user could not be read: {user.Failure!.Message}");
            found.Add(user.Value!);
        }

        return (found, null);
    }

    private static string Describe(UserListSession session)
        => "every user matching " + (session.Search is null ? "" : $"“{session.Search}”, ") + session.Filter.Describe();
}
