using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Access;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Teams;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.AddUser;

/// `tasks [tenant]`: Add User tasks (scheduled, running, finished) with their results, and Cancel for scheduled ones.
/// Cancel is a compare-and-swap Running → Cancelled on the version the job would need to start, so a cancelled job
/// never runs; access is checked again on every cancel.
internal sealed class AddUserTasksFeature(
    CustomerTenants tenants,
    PendingOperationStore operations,
    AccessPolicy policy,
    AuditLog audit,
    ProactiveMessenger messenger,
    TimeProvider time,
    ILogger<AddUserTasksFeature> log) : IFeature
{
    public const int Shown = 25;

    private static readonly OperationState[] Listed =
        [OperationState.Running, OperationState.Succeeded, OperationState.PartlySucceeded, OperationState.Failed, OperationState.Cancelled];

    public void Map(BotRoutes routes)
    {
        routes.Command("tasks", "Scheduled, running and finished Add User tasks, with Cancel for scheduled ones", "tasks contoso", ShowAsync);
        routes.Verb(AddUserCards.CancelScheduledVerb, CancelAsync);
    }

    private async Task ShowAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        var access = AddUserTenant.Access(policy, turn.Caller);
        IReadOnlyList<CustomerTenant> scope;
        if (string.IsNullOrWhiteSpace(arguments))
            scope = [.. tenants.All.Where(t => access.Has(Role.Reader, AddUserTenant.Ref(t)))];
        else if (tenants.Find(arguments.Trim()) is { } tenant)
            scope = access.Has(Role.Reader, AddUserTenant.Ref(tenant)) ? [tenant] : [];
        else
        {
            await turn.SendTextAsync(AddUserTenant.Unknown(arguments, "tasks"), ct);
            return;
        }
        if (scope.Count == 0)
        {
            await turn.SendTextAsync("You have no role in that tenant.", ct);
            return;
        }
        var ops = await operations.ListAsync(new OperationQuery
        {
            ActionId = AddUserFeature.ActionId,
            TenantIds = [.. scope.Select(t => t.TenantId)],
            States = Listed,
            Limit = Shown,
        }, ct);
        var title = scope.Count == 1 ? $"Add User tasks: {scope[0].DisplayName}" : "Add User tasks";
        await turn.SendCardAsync(AddUserTaskCards.Tasks(title, ops, op => CanCancel(turn.Caller, op) is null), ct);
    }

    private async Task CancelAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var op = Guid.TryParse(AddUserTenant.Text(data, AddUserCards.OperationKey), out var id) ? await operations.GetAsync(id, ct) : null;
        if (op is null || op.ActionId != AddUserFeature.ActionId)
        {
            turn.RespondWithError(404, "I can't find that task.");
            return;
        }
        var upn = (op.Targets.Count > 0 ? op.Targets[0] : null)?.UserPrincipalName ?? "the user";
        if (!IsWaiting(op))
        {
            turn.RespondWithCard(AddUserCards.Message("Not cancelled", $"{upn} is {AddUserTaskCards.StateText(op)}: only a scheduled creation that has not started can be cancelled."));
            return;
        }
        if (CanCancel(turn.Caller, op) is { } refusal)
        {
            turn.RespondWithError(403, refusal);
            return;
        }

        var cancelled = await operations.TryTransitionAsync(op.Id, OperationState.Running, op.Version, o => o with
        {
            State = OperationState.Cancelled,
            DecidedByAadObjectId = turn.Caller.AadObjectId,
            DecidedByName = turn.Caller.Name,
            DecidedAt = time.GetUtcNow(),
        }, ct);
        if (cancelled is null)
        {
            var now = await operations.GetAsync(op.Id, ct) ?? op;
            turn.RespondWithCard(AddUserCards.Message("Not cancelled", $"{upn} is {AddUserTaskCards.StateText(now)}: it started or changed just now."));
            return;
        }
        await audit.AppendAsync(new AuditEntry(0, time.GetUtcNow(), turn.Caller.AadObjectId, turn.Caller.Name, op.TenantId, AddUserFeature.ActionId,
            upn, (op.Targets.Count > 0 ? op.Targets[0] : null)?.DisplayName, "cancelled", $"Scheduled creation for {AddUserSchedule.Describe(op.Parameters)} cancelled.",
            null, op.CorrelationId ?? op.Id.ToString(), op.Id), ct);
        log.LogInformation("Add user {OperationId} cancelled by {AadObjectId} before it ran", op.Id, turn.Caller.AadObjectId);

        var card = AddUserCards.Message("Cancelled", $"{upn} will not be created (it was scheduled for {AddUserSchedule.Describe(op.Parameters)}); cancelled by {turn.Caller.Name}.");
        // The "Scheduled" card in the requester's conversation says so too (best effort, it may be this very card).
        if (cancelled.RequestConversation is { } conversation && cancelled.RequestCardActivityId is { } activity && activity != turn.ReplyToId)
        {
            try
            {
                await messenger.UpdateCardAsync(conversation, activity, card, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Could not update the scheduled card of {OperationId}: {ErrorType}", op.Id, e.GetType().Name);
            }
        }
        turn.RespondWithCard(card);
    }

    private static bool IsWaiting(PendingOperation op) =>
        op.State == OperationState.Running && AddUserSchedule.At(op.Parameters) is not null && !AddUserSchedule.Started(op.Parameters);

    // The requester, or an admin of the tenant, who may still add users there.
    private string? CanCancel(Caller caller, PendingOperation op)
    {
        if (!IsWaiting(op))
            return "Only a scheduled creation that has not started can be cancelled.";
        var tenant = tenants.Find(op.TenantId);
        if (tenant is null)
            return "That tenant is no longer managed.";
        var access = AddUserTenant.Access(policy, caller);
        var decision = policy.CanRequest(access, AddUserFeature.Action, AddUserTenant.Ref(tenant), 1);
        if (!decision.Allowed)
            return decision.Reason;
        var own = string.Equals(op.RequesterAadObjectId, caller.AadObjectId, StringComparison.OrdinalIgnoreCase);
        return own || access.Has(Role.Admin, AddUserTenant.Ref(tenant)) ? null : $"Only {op.RequesterName}, who scheduled it, or an admin can cancel it.";
    }
}

/// The `tasks` card.
internal static class AddUserTaskCards
{
    public static AdaptiveCard Tasks(string title, IReadOnlyList<PendingOperation> ops, Func<PendingOperation, bool> canCancel)
    {
        var card = new AdaptiveCard { FallbackText = title }
            .Add(new TextBlock(title) { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        if (ops.Count == 0)
            return card.Add(new TextBlock("No Add User tasks yet.") { IsSubtle = true });
        card.Add(new TextBlock($"Newest first, at most {AddUserTasksFeature.Shown}.") { IsSubtle = true, Size = TextSize.Small });
        foreach (var op in ops)
        {
            var target = op.Targets.Count > 0 ? op.Targets[0] : null;
            var items = new List<CardElement>
            {
                new TextBlock($"{target?.UserPrincipalName ?? target?.Id} · {op.TenantName}") { Weight = TextWeight.Bolder },
                new TextBlock($"{StateText(op)} · asked by {op.RequesterName}") { Color = Color(op), Size = TextSize.Small },
            };
            items.AddRange(op.Results.Select(r => (CardElement)new TextBlock($"{(r.Succeeded ? "✓" : "✗")} {r.DisplayName}: {r.Message}")
            { Size = TextSize.Small, Color = r.Succeeded ? TextColor.Default : TextColor.Attention }));
            if (canCancel(op))
            {
                items.Add(new ActionSet([new ExecuteAction("Cancel", AddUserCards.CancelScheduledVerb, new JsonObject { [AddUserCards.OperationKey] = op.Id.ToString() })
                { SendInputs = false, Style = ActionStyle.Destructive }]));
            }
            card.Add(new Container(items) { Separator = true });
        }
        return card;
    }

    public static string StateText(PendingOperation op) => op.State switch
    {
        OperationState.Running when AddUserSchedule.At(op.Parameters) is not null && !AddUserSchedule.Started(op.Parameters)
            => $"Scheduled for {AddUserSchedule.Describe(op.Parameters)}",
        OperationState.Running => "Running",
        OperationState.Succeeded => "✓ Created",
        OperationState.PartlySucceeded => "Created, some steps failed",
        OperationState.Failed => "✗ Failed",
        OperationState.Cancelled => AddUserSchedule.At(op.Parameters) is not null ? $"Cancelled (was scheduled for {AddUserSchedule.Describe(op.Parameters)})" : "Cancelled",
        _ => op.State.ToString(),
    };

    private static TextColor Color(PendingOperation op) => op.State switch
    {
        OperationState.Succeeded => TextColor.Good,
        OperationState.Failed or OperationState.PartlySucceeded => TextColor.Attention,
        OperationState.Running => TextColor.Accent,
        _ => TextColor.Default,
    };
}
