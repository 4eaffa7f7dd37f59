using System.Text.Json.Nodes;

namespace CippUsers.Bot.Tests.Infrastructure;

public static class CardJson
{
    /// <summary>Every "text", "title" and "value" string in a card, in document order.</summary>
    public static string AllText(JsonNode? node)
    {
        var parts = new List<string>();
        Walk(node, parts);
        return string.Join('\n', parts);
    }

    /// <summary>All Action.Execute verbs in the card (body and actions).</summary>
    public static IReadOnlyList<string> Verbs(JsonNode? node)
    {
        var verbs = new List<string>();
        Collect(node, verbs);
        return verbs;

        static void Collect(JsonNode? node, List<string> verbs)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["type"]?.GetValue<string>() == "Action.Execute" && obj["verb"] is JsonValue verb)
                    {
                        verbs.Add(verb.GetValue<string>());
                    }

                    foreach (var (_, child) in obj)
                    {
                        Collect(child, verbs);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Collect(child, verbs);
                    }

                    break;
            }
        }
    }

    private static void Walk(JsonNode? node, List<string> parts)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (key is "text" or "title" or "value" && child is JsonValue value && value.TryGetValue<string>(out var s))
                    {
                        parts.Add(s);
                    }
                    else
                    {
                        Walk(child, parts);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Walk(child, parts);
                }

                break;
        }
    }
}
