using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Graph.Query;

/// <summary>Thrown for a $filter Graph would refuse; carries Graph's code and message.</summary>
internal sealed class QueryException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// The $filter subset the product uses: eq, ne, gt/ge/lt/le, in, not, and/or, parentheses, startswith, endswith,
/// any() lambdas on collections, and /$count comparisons. Knows which operators are "advanced" (need
/// ConsistencyLevel: eventual and $count=true).
/// </summary>
internal sealed class ODataFilter
{
    private readonly List<string> tokens;
    private readonly string resource;
    private readonly IReadOnlySet<string> filterable;
    private int position;

    private ODataFilter(string text, string resource, IReadOnlySet<string> filterable)
    {
        tokens = Tokenize(text);
        this.resource = resource;
        this.filterable = filterable;
    }

    /// <summary>The first advanced operator used, or null when the filter is a simple one.</summary>
    public string? AdvancedOperator { get; private set; }

    public static (Func<JsonObject, bool> Predicate, string? AdvancedOperator) Parse(string text, string resource, IReadOnlySet<string> filterable)
    {
        var parser = new ODataFilter(text, resource, filterable);
        var predicate = parser.ParseOr(null);
        if (parser.position != parser.tokens.Count)
        {
            throw Invalid();
        }

        return (item => predicate(item), parser.AdvancedOperator);
    }

    private static QueryException Invalid() => new("BadRequest", "Invalid filter clause: syntax error.");

    private void Advanced(string op) => AdvancedOperator ??= op;

    private string? Peek => position < tokens.Count ? tokens[position] : null;

    private string Next() => position < tokens.Count ? tokens[position++] : throw Invalid();

    private void Expect(string token)
    {
        if (!string.Equals(Next(), token, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid();
        }
    }

    private Func<JsonNode?, bool> ParseOr(string? lambdaVariable)
    {
        var left = ParseAnd(lambdaVariable);
        while (string.Equals(Peek, "or", StringComparison.OrdinalIgnoreCase))
        {
            position++;
            var right = ParseAnd(lambdaVariable);
            var l = left;
            left = n => l(n) || right(n);
        }

        return left;
    }

    private Func<JsonNode?, bool> ParseAnd(string? lambdaVariable)
    {
        var left = ParseUnary(lambdaVariable);
        while (string.Equals(Peek, "and", StringComparison.OrdinalIgnoreCase))
        {
            position++;
            var right = ParseUnary(lambdaVariable);
            var l = left;
            left = n => l(n) && right(n);
        }

        return left;
    }

    private Func<JsonNode?, bool> ParseUnary(string? lambdaVariable)
    {
        if (string.Equals(Peek, "not", StringComparison.OrdinalIgnoreCase))
        {
            position++;
            Advanced("not");
            var inner = ParseUnary(lambdaVariable);
            return n => !inner(n);
        }

        return ParsePrimary(lambdaVariable);
    }

    private Func<JsonNode?, bool> ParsePrimary(string? lambdaVariable)
    {
        var token = Next();
        if (token == "(")
        {
            var inner = ParseOr(lambdaVariable);
            Expect(")");
            return inner;
        }

        if (Peek == "(")
        {
            position++;
            var lower = token.ToLowerInvariant();
            if (lower is "startswith" or "endswith")
            {
                var path = Next();
                Expect(",");
                var value = Literal(Next()) as string ?? throw Invalid();
                Expect(")");
                var property = Resolve(path, lambdaVariable);
                if (lower == "endswith")
                {
                    Advanced("endsWith");
                    if (lambdaVariable is null && property.Root is not ("mail" or "otherMails" or "userPrincipalName" or "proxyAddresses"))
                    {
                        throw Unsupported(property.Root);
                    }
                }

                return n => Strings(property.Get(n)).Any(s => lower == "startswith"
                    ? s.StartsWith(value, StringComparison.OrdinalIgnoreCase)
                    : s.EndsWith(value, StringComparison.OrdinalIgnoreCase));
            }

            if (lower.EndsWith("/any", StringComparison.Ordinal) || lower.EndsWith("/all", StringComparison.Ordinal))
            {
                var collection = Resolve(token[..^4], lambdaVariable);
                if (Peek == ")")
                {
                    position++;
                    return n => collection.Get(n) is JsonArray { Count: > 0 };
                }

                var variable = Next();
                Expect(":");
                var inner = ParseOr(variable);
                Expect(")");
                var all = lower.EndsWith("/all", StringComparison.Ordinal);
                return n => collection.Get(n) is JsonArray items && (all ? items.All(inner) : items.Any(inner));
            }

            throw new QueryException("BadRequest", $"Invalid filter clause: unknown function '{token}'.");
        }

        var target = Resolve(token, lambdaVariable);
        var op = Next().ToLowerInvariant();
        if (op == "in")
        {
            Expect("(");
            var values = new List<object?>();
            while (true)
            {
                values.Add(Literal(Next()));
                var separator = Next();
                if (separator == ")")
                {
                    break;
                }

                if (separator != ",")
                {
                    throw Invalid();
                }
            }

            return n => values.Any(v => Compare(target.Get(n), v) == 0);
        }

        var literal = Literal(Next());
        if (op == "ne")
        {
            Advanced("ne");
        }

        return op switch
        {
            "eq" => n => Compare(target.Get(n), literal) == 0,
            "ne" => n => Compare(target.Get(n), literal) != 0,
            "gt" => n => Compare(target.Get(n), literal) is > 0 and not int.MaxValue,
            "ge" => n => Compare(target.Get(n), literal) is >= 0 and not int.MaxValue,
            "lt" => n => Compare(target.Get(n), literal) < 0,
            "le" => n => Compare(target.Get(n), literal) <= 0,
            _ => throw new QueryException("BadRequest", $"Invalid filter clause: unknown operator '{op}'."),
        };
    }

    private PropertyPath Resolve(string path, string? lambdaVariable)
    {
        var parts = path.Split('/');
        if (lambdaVariable is not null && parts[0] == lambdaVariable)
        {
            return new PropertyPath(parts[0], parts[1..], IsCount: false);
        }

        if (!filterable.Contains(parts[0]))
        {
            throw Unsupported(parts[0]);
        }

        var isCount = parts.Length == 2 && parts[1] == "$count";
        if (isCount)
        {
            Advanced("$count");
            return new PropertyPath(parts[0], [parts[0]], IsCount: true);
        }

        return new PropertyPath(parts[0], parts, IsCount: false);
    }

    private QueryException Unsupported(string property) =>
        new("Request_UnsupportedQuery", $"Unsupported or invalid query filter clause specified for property '{property}' of resource '{resource}'.");

    private static object? Literal(string token)
    {
        if (token.StartsWith('\''))
        {
            return token[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        return token.ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            "null" => null,
            _ when double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
            _ when Guid.TryParse(token, out _) => token,
            _ when DateTimeOffset.TryParse(token, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _) => token,
            _ => throw new QueryException("BadRequest", $"Invalid filter clause: '{token}' is not a value."),
        };
    }

    /// <summary>0 when equal; int.MaxValue when the two cannot be ordered.</summary>
    private static int Compare(JsonNode? node, object? literal)
    {
        switch (literal)
        {
            case null:
                return node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Null) ? 0 : int.MaxValue;
            case bool b:
                return node is JsonValue bv && bv.GetValueKind() is JsonValueKind.True or JsonValueKind.False && bv.GetValue<bool>() == b ? 0 : int.MaxValue;
            case double d:
                return node is JsonValue nv && nv.GetValueKind() == JsonValueKind.Number ? nv.GetValue<double>().CompareTo(d) : int.MaxValue;
            case string s:
                return node is JsonValue sv && sv.GetValueKind() == JsonValueKind.String ? string.Compare(sv.GetValue<string>(), s, StringComparison.OrdinalIgnoreCase) : int.MaxValue;
            default:
                return int.MaxValue;
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };

    private static List<string> Tokenize(string text)
    {
        var result = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or ',' or ':')
            {
                result.Add(c.ToString());
                i++;
            }
            else if (c == '\'')
            {
                var start = i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw Invalid();
                    }

                    if (text[i] == '\'')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '\'')
                        {
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    i++;
                }

                result.Add(text[start..i]);
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or ',' or '\'') && !(text[i] == ':' && !char.IsDigit(text[start])))
                {
                    i++;
                }

                result.Add(text[start..i]);
            }
        }

        return result;
    }

    private sealed record PropertyPath(string Root, string[] Parts, bool IsCount)
    {
        public JsonNode? Get(JsonNode? node)
        {
            if (IsCount)
            {
                return JsonValue.Create((double)(((node as JsonObject)?[Root] as JsonArray)?.Count ?? 0));
            }

            var current = node;
            foreach (var part in Parts)
            {
                current = (current as JsonObject)?[part];
            }

            return current;
        }
    }
}
