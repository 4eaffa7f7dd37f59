using CippUsers.Bot.Cards;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Features.Pending;

internal static class PendingCards
{
    public static AdaptiveCard List(IReadOnlyList<PendingOperation> toDecide, IReadOnlyList<PendingOperation> mine, ActionCatalog catalog)
    {
        var card = new AdaptiveCard { FallbackText = $"{toDecide.Count} waiting for your approval, {mine.Count} open requests of yours" };
        card.Add(new TextBlock("Waiting for your approval") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        if (toDecide.Count == 0)
        {
            card.Add(new TextBlock("Nothing waits for your approval.") { IsSubtle = true });
        }

        foreach (var op in toDecide.Take(20))
        {
            card.Add(Item(op, catalog,
                new ExecuteAction("Approve", OperationVerbs.Approve, OperationCards.Data(op.Id)) { Style = ActionStyle.Positive },
                new ExecuteAction("Reject", OperationVerbs.Reject, OperationCards.Data(op.Id)) { Style = ActionStyle.Destructive, SendInputs = false }));
        }

        card.Add(new TextBlock("Your open requests") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        if (mine.Count == 0)
        {
            card.Add(new TextBlock("You have no open requests.") { IsSubtle = true });
        }

        foreach (var op in mine.Take(20))
        {
            card.Add(Item(op, catalog, new ExecuteAction("Cancel", OperationVerbs.Cancel, OperationCards.Data(op.Id)) { SendInputs = false }));
        }

        return card;
    }

    private static Container Item(PendingOperation op, ActionCatalog catalog, params CardAction[] actions)
    {
        var title = catalog.Find(op.ActionId)?.Title ?? op.ActionId;
        return new Container(
        [
            new TextBlock($"{title} — {OperationView.StateTitle(op.State)}") { Weight = TextWeight.Bolder },
            new TextBlock($"{op.TenantName} · {OperationView.Targets(op.Targets)} · by {op.RequesterName} · expires {OperationView.Time(op.ExpiresAt)}") { IsSubtle = true },
            new ActionSet(actions),
        ])
        { Style = ContainerStyle.Emphasis };
    }
}
