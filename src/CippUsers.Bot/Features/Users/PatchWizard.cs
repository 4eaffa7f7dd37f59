using System.Globalization;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// One user of a patch wizard dry run: what would change, what already holds its value, or why it cannot change.
internal sealed record PatchPlan(TenantUser User, IReadOnlyList<string> Changes, IReadOnlyList<string> Unchanged, string? Refused)
{
    public bool WillChange => Refused is null && Changes.Count > 0;
}

/// The patch wizard's cards (Edit Properties, cipp-behaviour.md §4.4): choose properties and values for the targets,
/// then a dry run showing old → new per user before anything changes. Targets travel as a list-session id (every user
/// matching that list's search and filters) or as user ids; both are re-read and re-checked on the server.
internal static class PatchWizard
{
    public const string OpenVerb = "users.patch";
    public const string PreviewVerb = "users.patch.preview";
    public const int Slots = 3;
    public const int ShownInDryRun = 10;

    /// Most users one wizard run may change (a filter matching more is refused: narrow it).
    public const int MaxTargets = 1_000;

    public static string PropertyInput(int slot) => $"property{slot}";

    public static string ValueInput(int slot) => $"value{slot}";

    /// <param name="targets">Data identifying the targets: {"s": sessionId} or {"t": tenantId, "ids": "a,b"}.</param>
    public static AdaptiveCard Card(CustomerTenant tenant, string targetsText, JsonObject targets, string? error = null, IReadOnlyDictionary<string, string>? values = null)
    {
        var card = new AdaptiveCard { FallbackText = $"Edit properties of {targetsText}" }
            .Add(new TextBlock("Edit properties") { Size = TextSize.Medium, Weight = TextWeight.Bolder })
            .Add(new TextBlock($"{targetsText} · {tenant.DisplayName}") { IsSubtle = true, Wrap = true })
            .Add(new TextBlock("Choose up to three properties and their new values. The next card is a dry run: nothing changes before you confirm. Empty values are not sent.") { Wrap = true, Size = TextSize.Small });
        if (error is not null)
            card.Add(new TextBlock(error) { Color = TextColor.Attention, Wrap = true });
        var choices = EditPropertiesRunner.Properties.Select(p => new Choice($"{p.Label} ({p.Name}, {p.Type})", p.Name)).ToList();
        for (var slot = 1; slot <= Slots; slot++)
        {
            card.Add(new ChoiceSetInput(PropertyInput(slot), choices)
            {
                Label = $"Property {slot}",
                Placeholder = slot == 1 ? "Choose a property" : "(optional)",
                IsRequired = slot == 1,
                ErrorMessage = slot == 1 ? "Choose a property." : null,
                Value = values?.GetValueOrDefault(PropertyInput(slot)),
            });
            card.Add(new TextInput(ValueInput(slot)) { Label = $"New value {slot}", MaxLength = 1024, Value = values?.GetValueOrDefault(ValueInput(slot)) });
        }

        card.AddAction(new ExecuteAction("Preview changes (dry run)", PreviewVerb, targets.DeepClone().AsObject()) { Style = ActionStyle.Positive });
        return card;
    }

    public static AdaptiveCard DryRun(CustomerTenant tenant, IReadOnlyList<PatchPlan> plans, bool started)
    {
        var changing = plans.Where(p => p.WillChange).ToList();
        var unchanged = plans.Count(p => p.Refused is null && p.Changes.Count == 0);
        var refused = plans.Where(p => p.Refused is not null).ToList();
        var card = new AdaptiveCard { FallbackText = $"Dry run: {changing.Count} of {plans.Count} users would change" }
            .Add(new TextBlock("Edit properties — dry run") { Size = TextSize.Medium, Weight = TextWeight.Bolder })
            .Add(new TextBlock(tenant.DisplayName) { IsSubtle = true })
            .Add(new FactSet(
            [
                new Fact("Users", plans.Count.ToString("N0", CultureInfo.InvariantCulture)),
                new Fact("Would change", changing.Count.ToString("N0", CultureInfo.InvariantCulture)),
                new Fact("Unchanged (already set)", unchanged.ToString("N0", CultureInfo.InvariantCulture)),
                new Fact("Cannot change", refused.Count.ToString("N0", CultureInfo.InvariantCulture)),
            ]));
        if (changing.Count > 0)
        {
            card.Add(new TextBlock(changing.Count > ShownInDryRun ? $"First {ShownInDryRun} of {changing.Count:N0}:" : "Changes:") { Weight = TextWeight.Bolder });
            card.Add(new FactSet(changing.Take(ShownInDryRun).Select(p => new Fact(p.User.DisplayName, string.Join("; ", p.Changes)))));
        }

        if (refused.Count > 0)
        {
            card.Add(new TextBlock("Left out:") { Weight = TextWeight.Bolder });
            card.Add(new FactSet(refused.Take(ShownInDryRun).Select(p => new Fact(p.User.DisplayName, p.Refused!))));
        }

        card.Add(new TextBlock(started
            ? $"Nothing has changed yet. The confirmation card for the {changing.Count:N0} user(s) that would change is in the chat."
            : "Nothing would change; nothing was started.")
        { Wrap = true, Color = started ? TextColor.Default : TextColor.Warning });
        return card;
    }
}
