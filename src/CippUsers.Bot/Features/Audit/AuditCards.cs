using CippUsers.Bot.Cards;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Features.Audit;

internal static class AuditCards
{
    public static AdaptiveCard Entries(IReadOnlyList<AuditEntry> entries, string? tenantName, string? user)
    {
        var scope = string.Join(" · ", new[] { tenantName ?? "all your tenants", user }.Where(s => !string.IsNullOrEmpty(s)));
        var card = new AdaptiveCard { FallbackText = $"Audit log: {entries.Count} entries ({scope})" };
        card.Add(new TextBlock($"Audit log — {scope}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        if (entries.Count == 0)
        {
            card.Add(new TextBlock("No entries.") { IsSubtle = true });
        }

        foreach (var e in entries)
        {
            var target = e.TargetName is null ? "" : $" → {e.TargetName}";
            card.Add(new Container(
            [
                new TextBlock($"{e.Outcome}: {e.Action}{target}") { Weight = TextWeight.Bolder },
                new TextBlock($"{OperationView.Time(e.At)} · {e.ActorName} · {e.TenantId}{(e.Detail is null ? "" : $" · {e.Detail}")}") { IsSubtle = true, Size = TextSize.Small },
            ]));
        }

        card.AddAction(new ExecuteAction("Send as CSV", OperationVerbs.AuditCsv, AuditFeature.CsvData(tenantName, user)));
        return card;
    }
}
