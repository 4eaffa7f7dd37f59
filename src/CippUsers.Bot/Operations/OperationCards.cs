using System.Text.Json.Nodes;
using CippUsers.Bot.Access;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Operations;

/// Cards of a pending operation, as pure functions of the stored operation. Buttons carry only the operation id.
internal static class OperationCards
{
    public static JsonObject Data(Guid operationId) => new() { ["operationId"] = operationId.ToString() };

    public static AdaptiveCard Confirmation(ActionDescriptor action, PendingOperation op, ActionRequirement requirement, IReadOnlySet<string> presetInputs)
    {
        var card = Header(action, op, "Please confirm");
        card.Add(new TextBlock($"⚠ {action.ImplicationsLine}") { Color = TextColor.Warning });
        if (requirement.NeedsApproval)
        {
            card.Add(new TextBlock($"After you confirm, an approver must approve this ({requirement.ApprovalReason}).") { IsSubtle = true });
        }

        foreach (var input in action.Inputs.Where(i => !presetInputs.Contains(i.Id)))
        {
            card.Add(Input(input));
        }

        card.Add(new TextBlock($"Expires {OperationView.Time(op.ExpiresAt)}.") { IsSubtle = true, Size = TextSize.Small });
        card.AddAction(new ExecuteAction(requirement.NeedsApproval ? "Confirm and ask for approval" : "Confirm", OperationVerbs.Confirm, Data(op.Id)) { Style = ActionStyle.Positive });
        card.AddAction(new ExecuteAction("Cancel", OperationVerbs.Cancel, Data(op.Id)) { SendInputs = false });
        card.FallbackText = $"Confirm {action.Title} for {OperationView.Targets(op.Targets)}";
        return card;
    }

    public static AdaptiveCard Approval(ActionDescriptor action, PendingOperation op, string reason)
    {
        var card = Header(action, op, "Approval needed");
        card.Add(new TextBlock($"⚠ {action.ImplicationsLine}") { Color = TextColor.Warning });
        card.Add(new TextBlock($"Why: {reason}. The requester cannot approve their own request.") { IsSubtle = true });
        card.Add(new TextBlock($"Expires {OperationView.Time(op.ExpiresAt)}.") { IsSubtle = true, Size = TextSize.Small });
        card.AddAction(new ExecuteAction("Approve", OperationVerbs.Approve, Data(op.Id)) { Style = ActionStyle.Positive });
        card.AddAction(new ExecuteAction("Reject", OperationVerbs.Reject, Data(op.Id)) { Style = ActionStyle.Destructive, SendInputs = false });
        card.FallbackText = $"Approval needed: {action.Title} for {OperationView.Targets(op.Targets)} by {op.RequesterName}";
        return card;
    }

    /// The card after any decision or result: who decided and when, and per-target results once there are some.
    public static AdaptiveCard Status(ActionDescriptor action, PendingOperation op)
    {
        var card = Header(action, op, OperationView.StateTitle(op.State));
        if (op.DecidedByName is not null && op.DecidedAt is { } at)
        {
            var verb = op.State switch
            {
                OperationState.Cancelled => "Cancelled",
                OperationState.Rejected => "Rejected",
                OperationState.AwaitingApproval => "Confirmed",
                _ => "Approved or confirmed",
            };
            card.Add(new TextBlock($"{verb} by {op.DecidedByName} at {OperationView.Time(at)}.") { IsSubtle = true });
        }

        if (op.State == OperationState.Expired)
        {
            card.Add(new TextBlock($"Nobody decided before {OperationView.Time(op.ExpiresAt)}; nothing was changed. Run the command again if it is still needed.") { Color = TextColor.Attention });
        }

        if (op.State == OperationState.Running)
        {
            card.Add(new TextBlock($"Working on {OperationView.Targets(op.Targets)}. This card shows the results when done."));
        }

        if (op.Results.Count > 0)
        {
            var ok = op.Results.Count(r => r.Succeeded);
            card.Add(new TextBlock($"{ok} of {op.Results.Count} succeeded.") { Weight = TextWeight.Bolder });
            card.Add(new FactSet(op.Results.Take(40).Select(r => new Fact($"{(r.Succeeded ? "✓" : "✗")} {r.DisplayName}", r.Message))));
            if (op.Results.Count > 40)
            {
                card.Add(new TextBlock($"…and {op.Results.Count - 40} more; `audit` shows every result.") { IsSubtle = true });
            }
        }

        card.FallbackText = $"{action.Title}: {OperationView.StateTitle(op.State)}";
        return card;
    }

    public static AdaptiveCard Disambiguation(ActionDescriptor action, PendingOperation op, IReadOnlyList<(string Query, IReadOnlyList<OperationTarget> Matches)> ambiguous)
    {
        var card = new AdaptiveCard();
        card.Add(new TextBlock($"{action.Title}: which user did you mean?") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        card.Add(new FactSet([new Fact("Tenant", op.TenantName)]));
        for (var i = 0; i < ambiguous.Count; i++)
        {
            var (query, matches) = ambiguous[i];
            card.Add(new ChoiceSetInput($"pick{i}", matches.Select(m => new Choice($"{m.DisplayName} ({m.UserPrincipalName})", m.Id)))
            {
                Label = $"“{query}” matches {matches.Count} users",
                IsRequired = true,
                ErrorMessage = "Choose one",
                Style = ChoiceSetStyle.Expanded,
            });
        }

        card.AddAction(new ExecuteAction("Continue", OperationVerbs.Choose, Data(op.Id)) { Style = ActionStyle.Positive });
        card.AddAction(new ExecuteAction("Cancel", OperationVerbs.Cancel, Data(op.Id)) { SendInputs = false });
        card.FallbackText = $"{action.Title}: which user did you mean?";
        return card;
    }

    public static AdaptiveCard Refusal(string title, string reason)
    {
        var card = new AdaptiveCard();
        card.Add(new TextBlock(title) { Size = TextSize.Medium, Weight = TextWeight.Bolder, Color = TextColor.Attention });
        card.Add(new TextBlock(reason));
        card.FallbackText = $"{title}: {reason}";
        return card;
    }

    private static AdaptiveCard Header(ActionDescriptor action, PendingOperation op, string state)
    {
        var card = new AdaptiveCard();
        card.Add(new TextBlock($"{action.Title} — {state}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        var facts = new List<Fact>
        {
            new("Tenant", op.TenantName),
            new("Users", OperationView.Targets(op.Targets)),
        };
        facts.AddRange(OperationView.Parameters(action, op).Select(p => new Fact(p.Label, p.Value)));
        facts.Add(new Fact("Requested by", $"{op.RequesterName}, {OperationView.Time(op.CreatedAt)}"));
        card.Add(new FactSet(facts));
        return card;
    }

    private static CardElement Input(ActionInput input) => input.Kind switch
    {
        InputKind.Toggle => new ToggleInput(input.Id, input.Label) { Value = input.DefaultValue == "true" },
        InputKind.Choice => new ChoiceSetInput(input.Id, (input.Choices ?? []).Select(c => new Choice(c.Title, c.Value)))
        {
            Label = input.Label,
            Value = input.DefaultValue,
            IsRequired = input.Required,
        },
        InputKind.Number => new NumberInput(input.Id) { Label = input.Label, Value = double.TryParse(input.DefaultValue, out var n) ? n : null, IsRequired = input.Required },
        InputKind.MultilineText => new TextInput(input.Id) { Label = input.Label, IsMultiline = true, IsRequired = input.Required, ErrorMessage = input.Required ? "Required" : null },
        InputKind.Text => new TextInput(input.Id) { Label = input.Label, IsRequired = input.Required, ErrorMessage = input.Required ? "Required" : null },
        _ => throw new InvalidOperationException($"Unknown input kind {input.Kind}."),
    };
}
