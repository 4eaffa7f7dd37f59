using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Access;
using CippUsers.Bot.Approvals;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Storage;
using CippUsers.Graph;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Operations;

/// The state machine of a pending operation: request → (choose) → confirm → (approve) → run. Every step loads the stored
/// operation, re-checks the caller against it and the policy, and moves it by compare-and-swap, so a forged card, a double
/// click, a Teams retry or a second bot instance cannot make it run twice or run for someone else.
internal sealed class OperationWorkflow(
    PendingOperationStore operations,
    ActionCatalog catalog,
    AccessPolicy policy,
    CustomerTenants tenants,
    ConversationStore conversations,
    ProactiveMessenger messenger,
    OperationAudit audit,
    OperationRunner runner,
    ApprovalDecisions decisions,
    TimeProvider time,
    IOptions<ApprovalOptions> approvals,
    ILogger<OperationWorkflow> log)
{
    private const string CandidatesKey = "_candidates";

    public async Task StartAsync(
        BotTurn turn,
        ActionDescriptor action,
        CustomerTenant tenant,
        IReadOnlyList<OperationTarget> targets,
        IReadOnlyList<(string Query, IReadOnlyList<OperationTarget> Matches)> ambiguous,
        IReadOnlyDictionary<string, string> preset,
        CancellationToken ct)
    {
        var refusal = CheckRequest(turn.Caller, action, tenant, targets.Count + ambiguous.Count);
        if (refusal is not null)
        {
            await turn.SendCardAsync(OperationCards.Refusal($"{action.Title}: not done", refusal), ct);
            return;
        }

        var now = time.GetUtcNow();
        var parameters = new JsonObject();
        foreach (var (key, value) in preset)
        {
            parameters[key] = value;
        }

        if (ambiguous.Count > 0)
        {
            parameters[CandidatesKey] = new JsonArray([.. ambiguous.Select(a => (JsonNode)new JsonObject
            {
                ["query"] = a.Query,
                ["matches"] = new JsonArray([.. a.Matches.Select(m => (JsonNode)new JsonObject { ["id"] = m.Id, ["displayName"] = m.DisplayName, ["userPrincipalName"] = m.UserPrincipalName })]),
            })]);
        }

        var op = new PendingOperation
        {
            Id = Guid.NewGuid(),
            RequesterAadObjectId = turn.Caller.AadObjectId,
            RequesterName = turn.Caller.Name,
            TenantId = tenant.TenantId,
            TenantName = tenant.DisplayName,
            ActionId = action.Id,
            Targets = targets,
            Parameters = parameters,
            State = ambiguous.Count > 0 ? OperationState.Draft : OperationState.AwaitingConfirmation,
            CreatedAt = now,
            ExpiresAt = now + approvals.Value.Expiry,
            UpdatedAt = now,
            RequestConversation = turn.Conversation,
        };
        op = op with { CorrelationId = op.Id.ToString() };
        await operations.CreateAsync(op, ct);

        var card = ambiguous.Count > 0
            ? OperationCards.Disambiguation(action, op, ambiguous)
            : OperationCards.Confirmation(action, op, policy.RequirementFor(action, targets.Count), PresetInputs(op));
        var activityId = await turn.SendCardAsync(card, ct);
        await operations.SetRequestCardAsync(op.Id, turn.Conversation, activityId, ct);
        await audit.DecisionAsync(op, turn.Caller.AadObjectId, turn.Caller.Name, "requested", null, ct);
        log.LogInformation("Operation {OperationId} ({ActionId}) requested by {Requester} in {TenantId} on {TargetCount} users",
            op.Id, action.Id, turn.Caller.AadObjectId, tenant.TenantId, targets.Count + ambiguous.Count);
    }

    public async Task ChooseAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var (op, action) = await LoadAsync(turn, data, ct);
        if (op is null || action is null || !await RequesterOnlyAsync(turn, op, action, OperationState.Draft, ct))
        {
            return;
        }

        var candidates = op.Parameters[CandidatesKey]?.AsArray() ?? [];
        var chosen = new List<OperationTarget>(op.Targets);
        for (var i = 0; i < candidates.Count; i++)
        {
            var pick = Read(data, $"pick{i}");
            var match = candidates[i]?["matches"]?.AsArray()
                .Select(m => new OperationTarget(m!["id"]!.GetValue<string>(), m["displayName"]!.GetValue<string>(), m["userPrincipalName"]?.GetValue<string>()))
                .FirstOrDefault(m => m.Id == pick);
            if (match is null)
            {
                // Only users the server offered may be chosen; anything else is a forged card.
                turn.RespondWithError(400, "Choose one of the users the card offers.");
                return;
            }

            chosen.Add(match);
        }

        chosen = [.. chosen.DistinctBy(t => t.Id)];
        var refusal = CheckRequest(turn.Caller, action, Tenant(op), chosen.Count);
        if (refusal is not null)
        {
            turn.RespondWithCard(OperationCards.Refusal($"{action.Title}: not done", refusal));
            return;
        }

        var parameters = OperationAudit.PublicParameters(op.Parameters);
        var next = await operations.TryTransitionAsync(op.Id, OperationState.Draft, op.Version,
            o => o with { State = OperationState.AwaitingConfirmation, Targets = chosen, Parameters = parameters }, ct);
        await RespondAsync(turn, next ?? await operations.GetAsync(op.Id, ct) ?? op, action, ct);
    }

    public async Task ConfirmAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var (op, action) = await LoadAsync(turn, data, ct);
        if (op is null || action is null || !await RequesterOnlyAsync(turn, op, action, OperationState.AwaitingConfirmation, ct))
        {
            return;
        }

        var refusal = CheckRequest(turn.Caller, action, Tenant(op), op.Targets.Count);
        if (refusal is not null)
        {
            turn.RespondWithCard(OperationCards.Refusal($"{action.Title}: not done", refusal));
            return;
        }

        var parameters = op.Parameters.DeepClone().AsObject();
        foreach (var input in action.Inputs.Where(i => !parameters.ContainsKey(i.Id)))
        {
            var (value, error) = ReadInput(input, data);
            if (error is not null)
            {
                turn.RespondWithError(400, error);
                return;
            }

            if (value is not null)
            {
                parameters[input.Id] = value;
            }
        }

        var now = time.GetUtcNow();
        var requirement = policy.RequirementFor(action, op.Targets.Count);
        var state = requirement.NeedsApproval ? OperationState.AwaitingApproval : OperationState.Running;
        var next = await operations.TryTransitionAsync(op.Id, OperationState.AwaitingConfirmation, op.Version, o => o with
        {
            State = state,
            Parameters = parameters,
            DecidedByAadObjectId = turn.Caller.AadObjectId,
            DecidedByName = turn.Caller.Name,
            DecidedAt = now,
            ExpiresAt = requirement.NeedsApproval ? now + approvals.Value.Expiry : o.ExpiresAt,
        }, ct);
        if (next is null)
        {
            // Lost the race (double click, retry, other instance): show what happened instead, run nothing.
            await RespondAsync(turn, await operations.GetAsync(op.Id, ct) ?? op, action, ct);
            return;
        }

        await audit.DecisionAsync(next, turn.Caller.AadObjectId, turn.Caller.Name, "confirmed", requirement.ApprovalReason, ct);
        if (requirement.NeedsApproval)
        {
            await RequestApprovalAsync(next, action, requirement.ApprovalReason ?? "approval required", ct);
        }
        else
        {
            runner.Enqueue(next.Id);
        }

        await RespondAsync(turn, next, action, ct);
    }

    public async Task CancelAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var (op, action) = await LoadAsync(turn, data, ct);
        if (op is null || action is null)
        {
            return;
        }

        if (op.State is not (OperationState.Draft or OperationState.AwaitingConfirmation or OperationState.AwaitingApproval))
        {
            await RespondAsync(turn, op, action, ct);
            return;
        }

        if (!IsRequester(turn, op))
        {
            turn.RespondWithError(403, $"Only {op.RequesterName} can cancel this request.");
            return;
        }

        var next = await operations.TryTransitionAsync(op.Id, op.State, op.Version, o => o with
        {
            State = OperationState.Cancelled,
            DecidedByAadObjectId = turn.Caller.AadObjectId,
            DecidedByName = turn.Caller.Name,
            DecidedAt = time.GetUtcNow(),
        }, ct);
        if (next is not null)
        {
            await audit.DecisionAsync(next, turn.Caller.AadObjectId, turn.Caller.Name, "cancelled", null, ct);
            await UpdateOtherCardAsync(next, action, turn, ct);
        }

        await RespondAsync(turn, next ?? await operations.GetAsync(op.Id, ct) ?? op, action, ct);
    }

    public Task ApproveAsync(BotTurn turn, JsonElement data, CancellationToken ct) => DecideAsync(turn, data, approve: true, ct);

    public Task RejectAsync(BotTurn turn, JsonElement data, CancellationToken ct) => DecideAsync(turn, data, approve: false, ct);

    private async Task DecideAsync(BotTurn turn, JsonElement data, bool approve, CancellationToken ct)
    {
        var (op, action) = await LoadAsync(turn, data, ct);
        if (op is null || action is null)
        {
            return;
        }

        if (op.State != OperationState.AwaitingApproval)
        {
            await RespondAsync(turn, op, action, ct);
            return;
        }

        if (await ExpireIfDueAsync(turn, op, action, ct))
        {
            return;
        }

        if (!await decisions.MayDecideAsync(turn, op, Tenant(op), approve, ct))
        {
            return;
        }

        var next = await decisions.RecordAsync(turn, op, approve, ct);
        if (next is null)
        {
            await RespondAsync(turn, await operations.GetAsync(op.Id, ct) ?? op, action, ct);
            return;
        }

        if (approve)
        {
            runner.Enqueue(next.Id);
        }

        await UpdateOtherCardAsync(next, action, turn, ct);
        await RespondAsync(turn, next, action, ct);
    }

    /// Marks due operations expired and updates their cards; called periodically and lazily on each step.
    public async Task<int> ExpireDueAsync(CancellationToken ct)
    {
        var expired = await operations.ExpireDueOperationsAsync(time.GetUtcNow(), ct);
        foreach (var op in expired)
        {
            var action = catalog.Find(op.ActionId);
            if (action is null)
            {
                continue;
            }

            await audit.DecisionAsync(op, op.RequesterAadObjectId, op.RequesterName, "expired", null, ct);
            await UpdateCardsAsync(op, action, except: null, ct);
        }

        return expired.Count;
    }

    /// Updates the request card and the approval card (where they are not the one the current turn answers).
    public async Task UpdateCardsAsync(PendingOperation op, ActionDescriptor action, string? except, CancellationToken ct)
    {
        var card = OperationCards.Status(action, op);
        if (op.RequestConversation is { } request && op.RequestCardActivityId is { } requestCard && requestCard != except)
        {
            await TryAsync(() => messenger.UpdateCardAsync(request, requestCard, card, ct), op.Id);
        }

        if (op.ApprovalConversation is { } approval && op.ApprovalCardActivityId is { } approvalCard && approvalCard != except)
        {
            await TryAsync(() => messenger.UpdateCardAsync(approval, approvalCard, card, ct), op.Id);
        }
    }

    private async Task RequestApprovalAsync(PendingOperation op, ActionDescriptor action, string reason, CancellationToken ct)
    {
        var channel = await conversations.GetHelpdeskChannelAsync(op.TenantId, ct) ?? op.RequestConversation;
        if (channel is null)
        {
            return;
        }

        var activityId = await messenger.SendCardAsync(channel, OperationCards.Approval(action, op, reason), ct);
        await operations.SetApprovalCardAsync(op.Id, channel, activityId, ct);
    }

    // The invoke answer replaces the card for the clicker; UpdateCardAsync replaces it for everyone else.
    private async Task RespondAsync(BotTurn turn, PendingOperation op, ActionDescriptor action, CancellationToken ct)
    {
        var card = op.State switch
        {
            OperationState.AwaitingConfirmation => OperationCards.Confirmation(action, op, policy.RequirementFor(action, op.Targets.Count), PresetInputs(op)),
            _ => OperationCards.Status(action, op),
        };
        turn.RespondWithCard(card);
        if (turn.ReplyToId is { } replyTo)
        {
            await TryAsync(() => turn.UpdateCardAsync(replyTo, card, ct), op.Id);
        }
    }

    private async Task UpdateOtherCardAsync(PendingOperation op, ActionDescriptor action, BotTurn turn, CancellationToken ct)
    {
        // Re-read: the approval card id is written after the transition that created it.
        var current = await operations.GetAsync(op.Id, ct) ?? op;
        await UpdateCardsAsync(current, action, except: turn.ReplyToId, ct);
    }

    private async Task<(PendingOperation? Op, ActionDescriptor? Action)> LoadAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (!Guid.TryParse(Read(data, "operationId"), out var id) || await operations.GetAsync(id, ct) is not { } op)
        {
            turn.RespondWithError(404, "This request no longer exists.");
            return (null, null);
        }

        var action = catalog.Find(op.ActionId);
        if (action is null)
        {
            turn.RespondWithError(404, "This action no longer exists.");
            return (null, null);
        }

        return (op, action);
    }

    private async Task<bool> RequesterOnlyAsync(BotTurn turn, PendingOperation op, ActionDescriptor action, OperationState expected, CancellationToken ct)
    {
        if (!IsRequester(turn, op))
        {
            await audit.DecisionAsync(op, turn.Caller.AadObjectId, turn.Caller.Name, "refused", "not the requester", ct);
            turn.RespondWithError(403, $"Only {op.RequesterName}, who asked for this, can confirm it.");
            return false;
        }

        if (op.State != expected)
        {
            await RespondAsync(turn, op, action, ct);
            return false;
        }

        return !await ExpireIfDueAsync(turn, op, action, ct);
    }

    private async Task<bool> ExpireIfDueAsync(BotTurn turn, PendingOperation op, ActionDescriptor action, CancellationToken ct)
    {
        if (time.GetUtcNow() < op.ExpiresAt)
        {
            return false;
        }

        var next = await operations.TryTransitionAsync(op.Id, op.State, op.Version, o => o with { State = OperationState.Expired }, ct);
        if (next is not null)
        {
            await audit.DecisionAsync(next, turn.Caller.AadObjectId, turn.Caller.Name, "expired", null, ct);
            await UpdateOtherCardAsync(next, action, turn, ct);
        }

        await RespondAsync(turn, next ?? await operations.GetAsync(op.Id, ct) ?? op, action, ct);
        return true;
    }

    private string? CheckRequest(Caller caller, ActionDescriptor action, TenantRef tenant, int targetCount)
    {
        if (!catalog.IsAvailable(action.Id))
        {
            return $"{action.Title} is not available in the bot yet. Nothing was changed.";
        }

        if (targetCount == 0)
        {
            return "No users were given.";
        }

        var decision = policy.CanRequest(policy.For(caller.AadObjectId), action, tenant, targetCount);
        return decision.Allowed ? null : decision.Reason;
    }

    /// Null when the caller may ask for this action on this many users in this tenant, else the reason shown to them.
    public string? CheckRequest(Caller caller, ActionDescriptor action, CustomerTenant tenant, int targetCount)
        => CheckRequest(caller, action, new TenantRef(tenant.TenantId, tenant.DefaultDomain, tenant.DisplayName), targetCount);

    private TenantRef Tenant(PendingOperation op)
    {
        var tenant = tenants.Find(op.TenantId);
        return new TenantRef(op.TenantId, tenant?.DefaultDomain ?? op.TenantId, op.TenantName);
    }

    private static bool IsRequester(BotTurn turn, PendingOperation op)
        => string.Equals(turn.Caller.AadObjectId, op.RequesterAadObjectId, StringComparison.OrdinalIgnoreCase);

    private static HashSet<string> PresetInputs(PendingOperation op) => [.. op.Parameters.Select(p => p.Key)];

    private static string? Read(JsonElement data, string name)
        => data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;

    private static (string? Value, string? Error) ReadInput(ActionInput input, JsonElement data)
    {
        var raw = Read(data, input.Id)?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            return input.Required && input.DefaultValue is null ? (null, $"{input.Label} is required.") : (input.DefaultValue, null);
        }

        return input.Kind switch
        {
            InputKind.Toggle => raw is "true" or "false" ? (raw, null) : (null, $"{input.Label} must be on or off."),
            InputKind.Choice => input.Choices?.Any(c => c.Value == raw) == true ? (raw, null) : (null, $"{input.Label}: choose one of the offered values."),
            InputKind.Number => double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? (raw, null) : (null, $"{input.Label} must be a number."),
            InputKind.Text or InputKind.MultilineText => raw.Length <= 2000 ? (raw, null) : (null, $"{input.Label} is too long."),
            _ => (null, $"{input.Label} is not supported."),
        };
    }

    private async Task TryAsync(Func<Task> send, Guid operationId)
    {
        try
        {
            await send();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A card that cannot be updated (deleted message, uninstalled app) must not undo a decision already stored.
            log.LogWarning(e, "Could not update a card of operation {OperationId}", operationId);
        }
    }
}
