using System.Globalization;
using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Graph;

internal delegate GraphResult GraphHandler(GraphCall call);

/// <summary>
/// The Graph route table. A request goes to the matching route with the most literal segments; writes draw on
/// the tenant's write budget first, so each $batch item is throttled on its own.
/// </summary>
internal sealed class GraphRouter
{
    private readonly List<Route> routes = [];

    public GraphRouter Map(string method, string template, GraphHandler handler)
    {
        var segments = template.Split('/');
        if (routes.Any(r => r.Method == method && r.Segments.SequenceEqual(segments, StringComparer.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"Route {method} {template} is mapped twice.");
        }

        routes.Add(new Route(method, segments, handler));
        return this;
    }

    public GraphResult Dispatch(GraphCall call)
    {
        Route? best = null;
        var bestScore = -1;
        var pathMatched = false;
        foreach (var route in routes)
        {
            if (!Matches(route, call.Segments, out var score))
            {
                continue;
            }

            pathMatched = true;
            if (route.Method == call.Method && score > bestScore)
            {
                best = route;
                bestScore = score;
            }
        }

        if (best is null)
        {
            return pathMatched
                ? GraphResult.Error(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
                : GraphResult.Error(400, "BadRequest", $"Resource not found for the segment '{(call.Segments.Count > 0 ? call.Segments[^1] : "")}'.");
        }

        for (var i = 0; i < best.Segments.Length; i++)
        {
            if (best.Segments[i].StartsWith('{'))
            {
                call.RouteValues[best.Segments[i][1..^1]] = call.Segments[i];
            }
        }

        var isWrite = call.Method is "POST" or "PATCH" or "PUT" or "DELETE" && !(call.Segments.Count == 1 && call.Segments[0] == "$batch");
        var usage = 0.0;
        if (isWrite && !call.Tenant.TryTakeWrite(call.AppId, call.Now, out var retryAfter, out usage))
        {
            return Throttled(call, retryAfter);
        }

        var result = best.Handler(call);
        if (usage > 0.8)
        {
            result.Headers["x-ms-throttle-limit-percentage"] = usage.ToString("0.0#", CultureInfo.InvariantCulture);
        }

        result.Headers["x-ms-resource-unit"] = "1";
        return result;
    }

    /// <summary>Graph's 429: the error body and the Retry-After and x-ms-throttle-* headers of the limit that was hit.</summary>
    internal static GraphResult Throttled(GraphCall call, TimeSpan retryAfter, string scope = "Tenant_Application", string information = "WriteLimitExceeded")
    {
        var error = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = "TooManyRequests",
                ["message"] = "Please retry again later.",
                ["innerError"] = new JsonObject { ["code"] = "429", ["status"] = "429" },
            },
        };
        var result = new GraphResult(429, error) { Throttled = true };
        result.Headers["Retry-After"] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        result.Headers["x-ms-throttle-scope"] = $"{scope}/Write/{call.AppId}/{call.Tenant.Info.TenantId}";
        result.Headers["x-ms-throttle-information"] = information;
        result.Headers["x-ms-throttle-limit-percentage"] = "1.0";
        return result;
    }

    /// <summary>Adds innerError (date, request-id, client-request-id) to error bodies and the id headers to every answer.</summary>
    public static void Finish(GraphResult result, string requestId, string clientRequestId, DateTimeOffset now)
    {
        result.Headers["request-id"] = requestId;
        result.Headers["client-request-id"] = clientRequestId;
        if (result.Body is JsonObject { } body && body["error"] is JsonObject error)
        {
            var inner = error["innerError"] as JsonObject ?? [];
            inner["date"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
            inner["request-id"] = requestId;
            inner["client-request-id"] = clientRequestId;
            error["innerError"] = inner;
        }
    }

    private static bool Matches(Route route, IReadOnlyList<string> segments, out int score)
    {
        score = 0;
        if (route.Segments.Length != segments.Count)
        {
            return false;
        }

        for (var i = 0; i < segments.Count; i++)
        {
            var template = route.Segments[i];
            if (template.StartsWith('{'))
            {
                continue;
            }

            if (!string.Equals(template, segments[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            score++;
        }

        return true;
    }

    private sealed record Route(string Method, string[] Segments, GraphHandler Handler);
}
