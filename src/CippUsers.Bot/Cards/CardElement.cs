using System.Text.Json.Nodes;

namespace CippUsers.Bot.Cards;

/// <summary>Anything that can sit in a card body or a container.</summary>
public abstract class CardElement
{
    public string? Id { get; init; }
    public Spacing Spacing { get; init; }
    public bool Separator { get; init; }
    public bool IsVisible { get; init; } = true;

    protected abstract string Type { get; }

    protected abstract void Write(JsonObject json);

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["type"] = Type };
        if (Id is not null)
        {
            json["id"] = Id;
        }

        if (Spacing != Spacing.Default)
        {
            json["spacing"] = CardEnumNames.Of(Spacing);
        }

        if (Separator)
        {
            json["separator"] = true;
        }

        if (!IsVisible)
        {
            json["isVisible"] = false;
        }

        Write(json);
        return json;
    }

    protected static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode> map) => new([.. items.Select(map)]);
}
