using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Hosting;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Graph;

/// <summary>One Graph request, from HTTP or from a $batch item, after authentication.</summary>
internal sealed class GraphCall
{
    public required string Method { get; init; }

    /// <summary>"v1.0" or "beta".</summary>
    public required string Version { get; init; }

    /// <summary>Path segments after the version, URL-decoded, with key syntax users('x') split into users / x.</summary>
    public required IReadOnlyList<string> Segments { get; init; }

    /// <summary>Query options by name (system options always with their $).</summary>
    public required IReadOnlyDictionary<string, string> Query { get; init; }

    /// <summary>The raw query string without the leading '?', for building next links.</summary>
    public required string RawQuery { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public JsonNode? Body { get; init; }

    public required TenantData Tenant { get; init; }

    public required string AppId { get; init; }

    public required EmulatorContext Context { get; init; }

    public required GraphRouter Router { get; init; }

    public bool InBatch { get; init; }

    public Dictionary<string, string> RouteValues { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset Now => Context.Time.GetUtcNow();

    public string Route(string name) => RouteValues[name];

    public string? Option(string name) => Query.GetValueOrDefault(name);

    public bool EventualConsistency => Headers.TryGetValue("ConsistencyLevel", out var level) && string.Equals(level, "eventual", StringComparison.OrdinalIgnoreCase);

    public string ServiceRoot => $"{Context.BaseUri}{Version}/";

    public static IReadOnlyList<string> SplitPath(string path)
    {
        var segments = new List<string>();
        foreach (var raw in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = Uri.UnescapeDataString(raw);
            var open = segment.IndexOf("('", StringComparison.Ordinal);
            if (open > 0 && segment.EndsWith("')", StringComparison.Ordinal))
            {
                segments.Add(segment[..open]);
                segments.Add(segment[(open + 2)..^2].Replace("''", "'", StringComparison.Ordinal));
            }
            else
            {
                segments.Add(segment);
            }
        }

        return segments;
    }

    public static Dictionary<string, string> ParseQuery(string rawQuery)
    {
        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (!name.StartsWith('$') && name is "select" or "filter" or "search" or "count" or "top" or "orderby" or "expand" or "skiptoken")
            {
                name = "$" + name;
            }

            query[name] = value;
        }

        return query;
    }
}
