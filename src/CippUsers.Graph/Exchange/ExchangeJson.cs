using System.Text.Json;
using System.Text.Json.Nodes;

namespace CippUsers.Graph.Exchange;

/// <summary>Tolerant reading of InvokeCommand answers.</summary>
internal static class ExchangeJson
{
    /// <summary>The parsed JSON, or null for an empty body or one that is not JSON (NUL bytes, plain text).</summary>
    public static JsonNode? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.TrimStart()[0] is not ('{' or '['))
            return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A copy of the row without annotation keys ("Prop@odata.type", "@odata.id", …).</summary>
    public static JsonObject StripAnnotations(JsonObject row)
    {
        var clean = new JsonObject();
        foreach (var (key, value) in row)
        {
            if (!key.Contains('@', StringComparison.Ordinal))
                clean[key] = value?.DeepClone();
        }
        return clean;
    }

    public static string? String(JsonObject row, string name) => Find(row, name) switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    public static bool Bool(JsonObject row, string name) => Find(row, name) switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => bool.TryParse(s, out var b) && b,
        _ => false,
    };

    public static IReadOnlyList<string> Strings(JsonObject row, string name) => Find(row, name) switch
    {
        JsonArray array => [.. array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>()],
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    public static DateTimeOffset? Time(JsonObject row, string name) =>
        String(row, name) is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    // Exchange's property names are case-insensitive; answers use PascalCase but do not rely on it.
    private static JsonNode? Find(JsonObject row, string name)
    {
        if (row.TryGetPropertyValue(name, out var exact))
            return exact;
        foreach (var (key, value) in row)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return value;
        }
        return null;
    }
}
