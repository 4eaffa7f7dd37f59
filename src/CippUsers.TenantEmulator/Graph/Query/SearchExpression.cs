using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CippUsers.TenantEmulator.Graph.Query;

/// <summary>
/// $search: "property:text" clauses joined by AND/OR. displayName and description are tokenized (a word matches
/// when it starts with the searched word); other properties match by prefix.
/// </summary>
internal static partial class SearchExpression
{
    private static readonly HashSet<string> Tokenized = new(StringComparer.OrdinalIgnoreCase) { "displayName", "description" };

    public static Func<JsonObject, bool> Parse(string search)
    {
        var clauses = Clause().Matches(search);
        if (clauses.Count == 0)
        {
            throw new QueryException("Request_UnsupportedQuery", "Syntax error: the $search value must be \"property:text\" clauses in double quotes.");
        }

        Func<JsonObject, bool>? expression = null;
        var joiner = "OR";
        var last = 0;
        foreach (Match clause in clauses)
        {
            var between = search[last..clause.Index].Trim();
            if (expression is not null)
            {
                joiner = between.Equals("AND", StringComparison.Ordinal) ? "AND" : between.Equals("OR", StringComparison.Ordinal) ? "OR" : throw new QueryException("Request_UnsupportedQuery", "Syntax error: AND or OR expected between $search clauses.");
            }

            var text = clause.Groups[1].Value;
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var property = colon > 0 ? text[..colon] : "displayName";
            var term = colon > 0 ? text[(colon + 1)..] : text;
            var matches = Matcher(property, term);
            var previous = expression;
            expression = previous is null ? matches : joiner == "AND" ? i => previous(i) && matches(i) : i => previous(i) || matches(i);
            last = clause.Index + clause.Length;
        }

        return expression!;
    }

    private static Func<JsonObject, bool> Matcher(string property, string term)
    {
        if (Tokenized.Contains(property))
        {
            var words = Words(term);
            return item => item[property] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                && words.All(w => Words(v.GetValue<string>()).Any(t => t.StartsWith(w, StringComparison.OrdinalIgnoreCase)));
        }

        return item => item[property] switch
        {
            JsonArray array => array.OfType<JsonValue>().Any(v => v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().StartsWith(term, StringComparison.OrdinalIgnoreCase)),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().StartsWith(term, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    /// <summary>Splits on spaces, symbols, digits-to-letters and lower-to-upper case changes.</summary>
    private static List<string> Words(string text) => [.. WordPattern().Matches(text).Select(m => m.Value)];

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Clause();

    [GeneratedRegex("[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+|[^\\x00-\\x7F]+")]
    private static partial Regex WordPattern();
}
