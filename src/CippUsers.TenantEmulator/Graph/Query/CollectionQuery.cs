using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Graph.Query;

/// <summary>How one kind of collection answers query options.</summary>
internal sealed record CollectionShape(
    string Resource,
    string ODataType,
    IReadOnlySet<string> Filterable,
    IReadOnlySet<string> Sortable,
    IReadOnlySet<string> Known,
    IReadOnlyList<string>? DefaultSelect,
    IReadOnlySet<string>? SingleObjectOnly = null);

/// <summary>Applies $filter, $search, $orderby, $count, $top, $skiptoken and $select to a collection, the way Graph does.</summary>
internal static class CollectionQuery
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 999;

    private const string AdvancedHint = "Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information";

    /// <summary>A page of the collection. <paramref name="contextPath"/> is what follows "$metadata#".</summary>
    public static GraphResult Page(GraphCall call, IEnumerable<JsonObject> items, CollectionShape shape, string contextPath, Func<JsonObject, bool>? searchable = null)
    {
        try
        {
            var top = Top(call);
            var select = Select(call, shape, isCollection: true);
            var query = Filter(call, items, shape, searchable, out var advancedUsed);
            var list = query.ToList();
            var count = list.Count;
            var offset = call.Option("$skiptoken") is { } token ? DecodeSkipToken(token) : 0;
            var page = list.Skip(offset).Take(top).Select(i => Project(i, select, shape)).ToList();

            var body = new JsonObject { ["@odata.context"] = Context(call, contextPath, select) };
            if (advancedUsed)
            {
                body["@odata.count"] = count;
            }

            if (offset + top < count)
            {
                body["@odata.nextLink"] = NextLink(call, offset + top);
            }

            body["value"] = new JsonArray([.. page]);
            return GraphResult.Ok(body);
        }
        catch (QueryException e)
        {
            return GraphResult.Error(e.Code == "NotImplemented" ? 501 : 400, e.Code, e.Message);
        }
    }

    /// <summary>GET …/$count: a bare integer as text/plain; needs ConsistencyLevel: eventual.</summary>
    public static GraphResult Count(GraphCall call, IEnumerable<JsonObject> items, CollectionShape shape, Func<JsonObject, bool>? searchable = null)
    {
        if (!call.EventualConsistency)
        {
            return GraphResult.UnsupportedQuery($"Count is not currently supported. {AdvancedHint}");
        }

        try
        {
            return GraphResult.PlainText(Filter(call, items, shape, searchable, out _).Count().ToString(CultureInfo.InvariantCulture));
        }
        catch (QueryException e)
        {
            return GraphResult.Error(400, e.Code, e.Message);
        }
    }

    /// <summary>One object with $select applied (single-object properties allowed).</summary>
    public static GraphResult Single(GraphCall call, JsonObject item, CollectionShape shape, string contextPath)
    {
        try
        {
            var select = Select(call, shape, isCollection: false);
            var body = Project(item, select, shape);
            var result = new JsonObject { ["@odata.context"] = Context(call, contextPath, select) + "/$entity" };
            foreach (var (key, value) in body)
            {
                result[key] = value?.DeepClone();
            }

            return GraphResult.Ok(result);
        }
        catch (QueryException e)
        {
            return GraphResult.Error(e.Code == "NotImplemented" ? 501 : 400, e.Code, e.Message);
        }
    }

    /// <summary>The object projected to the selected (or default) properties, keeping @odata.type.</summary>
    public static JsonObject Project(JsonObject item, IReadOnlyList<string>? select, CollectionShape shape)
    {
        var properties = select ?? shape.DefaultSelect;
        if (properties is null)
        {
            return item.DeepClone().AsObject();
        }

        var result = new JsonObject();
        if (item["@odata.type"] is { } type)
        {
            result["@odata.type"] = type.DeepClone();
        }

        foreach (var property in properties)
        {
            result[property] = item[property]?.DeepClone();
        }

        return result;
    }

    private static IEnumerable<JsonObject> Filter(GraphCall call, IEnumerable<JsonObject> items, CollectionShape shape, Func<JsonObject, bool>? searchable, out bool advancedUsed)
    {
        var advanced = call.EventualConsistency && string.Equals(call.Option("$count"), "true", StringComparison.OrdinalIgnoreCase);
        advancedUsed = advanced;
        var query = items;
        if (call.Option("$search") is { } search)
        {
            if (!call.EventualConsistency)
            {
                throw new QueryException("Request_UnsupportedQuery", "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
            }

            var matches = SearchExpression.Parse(search);
            query = query.Where(i => (searchable?.Invoke(i) ?? true) && matches(i));
        }

        if (call.Option("$filter") is { } filter)
        {
            var (predicate, op) = ODataFilter.Parse(filter, shape.Resource, shape.Filterable);
            if (op is not null && !advanced)
            {
                throw new QueryException("Request_UnsupportedQuery", $"Operator '{op}' is not supported because the required parameters might be missing. {AdvancedHint}");
            }

            query = query.Where(predicate);
        }

        if (call.Option("$orderby") is { } orderBy)
        {
            var parts = orderBy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var property = parts[0];
            var descending = parts.Length > 1 && string.Equals(parts[1], "desc", StringComparison.OrdinalIgnoreCase);
            if (!shape.Sortable.Contains(property))
            {
                throw new QueryException("Request_UnsupportedQuery", $"Order by '{property}' is not supported.");
            }

            if (call.Option("$filter") is not null && !advanced)
            {
                throw new QueryException("Request_UnsupportedQuery", $"Sorting not supported for current query. {AdvancedHint}");
            }

            var key = (JsonObject i) => i[property] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
            query = descending ? query.OrderByDescending(key, StringComparer.OrdinalIgnoreCase) : query.OrderBy(key, StringComparer.OrdinalIgnoreCase);
        }

        return query;
    }

    private static int Top(GraphCall call)
    {
        if (call.Option("$top") is not { } text)
        {
            return DefaultPageSize;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var top) || top is < 1 or > MaxPageSize)
        {
            throw new QueryException("Request_UnsupportedQuery", $"Invalid page size specified: '{text}'. Must be between 1 and {MaxPageSize} inclusive.");
        }

        return top;
    }

    private static List<string>? Select(GraphCall call, CollectionShape shape, bool isCollection)
    {
        if (call.Option("$select") is not { Length: > 0 } text)
        {
            return null;
        }

        var properties = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        foreach (var property in properties)
        {
            if (isCollection && shape.SingleObjectOnly?.Contains(property) == true)
            {
                throw new QueryException("NotImplemented", $"This operation target is not yet supported. Property '{property}' can only be selected on a single {shape.Resource.ToLowerInvariant()}.");
            }

            if (!shape.Known.Contains(property))
            {
                throw new QueryException("BadRequest", $"Parsing OData Select and Expand failed: Could not find a property named '{property}' on type '{shape.ODataType}'.");
            }
        }

        return properties;
    }

    private static string Context(GraphCall call, string contextPath, List<string>? select) =>
        $"{call.ServiceRoot}$metadata#{contextPath}" + (select is null ? "" : $"({string.Join(',', select)})");

    private static string NextLink(GraphCall call, int offset)
    {
        var kept = call.RawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("$skiptoken=", StringComparison.OrdinalIgnoreCase) && !p.StartsWith("%24skiptoken=", StringComparison.OrdinalIgnoreCase));
        var path = string.Join('/', call.Segments.Select(Uri.EscapeDataString));
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"RFNwdAIAAQ-offset:{offset}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{call.ServiceRoot}{path}?{string.Join('&', kept.Append($"$skiptoken={token}"))}";
    }

    private static int DecodeSkipToken(string token)
    {
        try
        {
            var s = token.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=')));
            var marker = text.IndexOf("offset:", StringComparison.Ordinal);
            if (marker >= 0 && int.TryParse(text[(marker + 7)..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
        }

        throw new QueryException("Request_BadRequest", "Invalid paging token. The '$skiptoken' value is not valid; follow @odata.nextLink as returned.");
    }
}
