using CippUsers.Bot.Cards;
using CippUsers.Bot.Features.Sherweb;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;
using CippUsers.Graph.Sherweb;

namespace CippUsers.Bot.Tests.Features.Sherweb;

/// Every card (and card part) of the Sherweb purchase, for the schema test.
public sealed class SherwebCardSamples : ICardSampleSource
{
    public IEnumerable<CardSample> Samples()
    {
        var soldOut = new LicenseSku(Guid.Parse("4b9405b0-7788-4568-add1-99614e613b69"), "EXCHANGESTANDARD", "Exchange Online (Plan 1)", 3, 3, "User", "Enabled");
        var subscriptions = new[] { new SherwebSubscription("5c4e1a0e-0000-4000-8000-000000000001", "Exchange Online (Plan 1)", null, "CFQ7TTC0LH16:0001", 3) };
        var errors = new Dictionary<string, string> { [SherwebPurchase.SubscriptionKey] = "Choose the Sherweb subscription to add a seat to." };

        yield return new("Sherweb/PurchaseSection", new AdaptiveCard().Add(SherwebCards.PurchaseSection([soldOut], subscriptions, true, null, errors)));
        yield return new("Sherweb/Unavailable", new AdaptiveCard().Add(SherwebCards.Unavailable("Sherweb could not be reached.")));
        yield return new("Sherweb/PurchaseNotice", new AdaptiveCard().Add(SherwebCards.PurchaseNotice(subscriptions[0].Label, new SherwebAssignmentCheckOptions())));
        yield return new("Sherweb/Assigned", SherwebCards.Assignment("jane@contosodental.com", "Contoso Dental", true, "Assigned Exchange Online (Plan 1)."));
        yield return new("Sherweb/NotAssigned", SherwebCards.Assignment("jane@contosodental.com", "Contoso Dental", false, "The purchased seat did not show up."));
    }
}
