using System.Text.Json.Nodes;

namespace CippUsers.Bot.Cards;

public abstract class CardAction(string title)
{
    public string Title { get; } = title;
    public string? Id { get; init; }
    public ActionStyle Style { get; init; }
    public string? Tooltip { get; init; }
    public bool IsEnabled { get; init; } = true;

    protected abstract string Type { get; }

    protected abstract void Write(JsonObject json);

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["type"] = Type, ["title"] = Title };
        if (Id is not null)
        {
            json["id"] = Id;
        }

        if (Style != ActionStyle.Default)
        {
            json["style"] = CardEnumNames.Of(Style);
        }

        if (Tooltip is not null)
        {
            json["tooltip"] = Tooltip;
        }

        if (!IsEnabled)
        {
            json["isEnabled"] = false;
        }

        Write(json);
        return json;
    }
}

/// <summary>Universal Action: Teams sends an adaptiveCard/action invoke with this verb and data (merged with inputs).</summary>
public sealed class ExecuteAction(string title, string verb, JsonObject? data = null) : CardAction(title)
{
    public string Verb { get; } = verb;
    public JsonObject? Data { get; } = data;

    /// <summary>False skips input validation and sends no inputs (Cancel buttons).</summary>
    public bool SendInputs { get; init; } = true;

    protected override string Type => "Action.Execute";

    protected override void Write(JsonObject json)
    {
        json["verb"] = Verb;

        json["data"] = Data?.DeepClone() ?? new JsonObject();
        if (!SendInputs)
        {
            json["associatedInputs"] = "none";
        }

        // Clients without Universal Actions fall back to Action.Submit: a message activity whose value carries the verb.
        var submitData = Data?.DeepClone().AsObject() ?? [];
        submitData["verb"] = Verb;
        json["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = Title, ["data"] = submitData };
    }
}

public sealed class ShowCardAction(string title, AdaptiveCard card) : CardAction(title)
{
    public AdaptiveCard Card { get; } = card;

    protected override string Type => "Action.ShowCard";

    protected override void Write(JsonObject json)
    {
        var card = Card.ToJson();
        card.Remove("$schema");
        json["card"] = card;
    }
}

public sealed class OpenUrlAction(string title, Uri url) : CardAction(title)
{
    public Uri Url { get; } = url;

    protected override string Type => "Action.OpenUrl";

    protected override void Write(JsonObject json) => json["url"] = Url.ToString();
}

public sealed class ToggleVisibilityAction(string title, params IReadOnlyList<string> targetElementIds) : CardAction(title)
{
    public IReadOnlyList<string> TargetElementIds { get; } = targetElementIds;

    protected override string Type => "Action.ToggleVisibility";

    protected override void Write(JsonObject json)
        => json["targetElements"] = new JsonArray([.. TargetElementIds.Select(id => (JsonNode)JsonValue.Create(id))]);
}
