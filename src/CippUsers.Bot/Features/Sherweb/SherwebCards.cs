using CippUsers.Bot.Cards;
using CippUsers.Graph;
using CippUsers.Graph.Sherweb;

namespace CippUsers.Bot.Features.Sherweb;

internal static class SherwebCards
{
    /// The seed's warning, with the bot in CIPP's place.
    public const string Warning = "This will Purchase a new Sherweb License for the user, according to the terms and conditions with Sherweb. "
        + "When the license becomes available, the bot will assign the license to this user.";

    /// The Add User card's purchase section: toggle, warning and the customer's subscriptions ("productName (sku)").
    public static Container PurchaseSection(IReadOnlyList<LicenseSku> soldOut, IReadOnlyList<SherwebSubscription> subscriptions,
        bool purchase, string? subscriptionId, IReadOnlyDictionary<string, string> errors)
    {
        var items = new List<CardElement>
        {
            new TextBlock("Sherweb") { Weight = TextWeight.Bolder },
            new TextBlock("No licences left of: " + string.Join(", ", soldOut.Select(s => s.FriendlyName))
                + ". If you choose one of them above, a seat can be bought through Sherweb.") { IsSubtle = true },
            new ToggleInput(SherwebPurchase.PurchaseKey, "0 Licences available. Purchase new licence?") { Value = purchase },
        };
        Error(SherwebPurchase.PurchaseKey);
        items.Add(new TextBlock(Warning) { Color = TextColor.Warning });
        items.Add(new ChoiceSetInput(SherwebPurchase.SubscriptionKey, subscriptions.Select(s => new Choice(s.Label, s.Id)))
        {
            Label = "Sherweb License",
            Placeholder = "The subscription to add one seat to",
            Value = subscriptionId,
        });
        Error(SherwebPurchase.SubscriptionKey);
        return new Container(items) { Style = ContainerStyle.Emphasis };

        void Error(string key)
        {
            if (errors.TryGetValue(key, out var error))
                items.Add(new TextBlock(error) { Color = TextColor.Attention, Size = TextSize.Small });
        }
    }

    /// Shown instead of the section when Sherweb cannot be asked for the customer's subscriptions.
    public static TextBlock Unavailable(string reason) =>
        new($"Sherweb purchase is unavailable right now: {reason}") { Color = TextColor.Warning, IsSubtle = true };

    /// The confirmation card's notice that confirming spends money.
    public static Container PurchaseNotice(string subscriptionLabel, SherwebAssignmentCheckOptions check) => new(
    [
        new TextBlock("This buys a licence") { Weight = TextWeight.Bolder, Color = TextColor.Attention },
        new TextBlock($"After the user is created, the quantity of {subscriptionLabel} in Sherweb is raised by one seat. "
            + "This costs money, according to the terms and conditions with Sherweb."),
        new TextBlock($"The license is assigned as soon as the new seat shows in the tenant (checked for up to {Describe(check.TotalWait)}); "
            + "the result is posted here.") { IsSubtle = true },
    ])
    { Style = ContainerStyle.Attention };

    /// Posted to the Add User conversation when the bought seat was assigned, or never arrived.
    public static AdaptiveCard Assignment(string upn, string tenantName, bool succeeded, string message)
    {
        var title = succeeded ? $"License assigned to {upn}" : $"License not assigned to {upn}";
        return new AdaptiveCard { FallbackText = title }
            .Add(new TextBlock(title) { Size = TextSize.Medium, Weight = TextWeight.Bolder, Color = succeeded ? TextColor.Good : TextColor.Attention })
            .Add(new TextBlock($"{(succeeded ? "✓" : "✗")} Licenses: {message}"))
            .Add(new TextBlock($"Tenant: {tenantName}. Bought through Sherweb.") { IsSubtle = true });
    }

    public static string Describe(TimeSpan span) =>
        span >= TimeSpan.FromHours(1) ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : span >= TimeSpan.FromMinutes(1) ? $"{(int)span.TotalMinutes} min"
        : $"{Math.Max(1, (int)span.TotalSeconds)} s";
}
