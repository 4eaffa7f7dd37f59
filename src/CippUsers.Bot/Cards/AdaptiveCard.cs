using System.Text.Json.Nodes;

namespace CippUsers.Bot.Cards;

/// <summary>An Adaptive Card 1.5 built as typed elements and rendered to JSON (never string-spliced).</summary>
public sealed class AdaptiveCard
{
    public const string Version = "1.5";
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    private readonly List<CardElement> _body = [];
    private readonly List<CardAction> _actions = [];

    public IReadOnlyList<CardElement> Body => _body;
    public IReadOnlyList<CardAction> Actions => _actions;

    /// <summary>Speech/notification text shown in the Teams activity feed.</summary>
    public string? FallbackText { get; set; }

    /// <summary>Optional Universal Actions refresh (verb run when the card is shown).</summary>
    public ExecuteAction? Refresh { get; set; }

    /// <summary>MRIs (29:...) that auto-refresh; empty list = manual refresh only; null = everyone.</summary>
    public IReadOnlyList<string>? RefreshUserIds { get; set; }

    public AdaptiveCard Add(CardElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        _body.Add(element);
        return this;
    }

    public AdaptiveCard Add(IEnumerable<CardElement> elements)
    {
        foreach (var element in elements)
        {
            Add(element);
        }

        return this;
    }

    public AdaptiveCard AddAction(CardAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _actions.Add(action);
        return this;
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = Version,
            ["body"] = new JsonArray([.. _body.Select(e => (JsonNode)e.ToJson())]),
        };
        if (_actions.Count > 0)
        {
            json["actions"] = new JsonArray([.. _actions.Select(a => (JsonNode)a.ToJson())]);
        }

        if (FallbackText is not null)
        {
            json["fallbackText"] = FallbackText;
        }

        if (Refresh is not null)
        {
            var refresh = new JsonObject { ["action"] = Refresh.ToJson() };
            if (RefreshUserIds is not null)
            {
                refresh["userIds"] = new JsonArray([.. RefreshUserIds.Select(id => (JsonNode)JsonValue.Create(id))]);
            }

            json["refresh"] = refresh;
        }

        return json;
    }

    public override string ToString() => ToJson().ToJsonString();
}
