using System.Text.Json;
using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Graph.Batch;

/// <summary>
/// JSON batching: up to 20 requests, dependsOn with 424 when a dependency failed, each item routed (and throttled)
/// on its own, responses in no particular order.
/// </summary>
internal static class BatchRoutes
{
    private const int MaxRequests = 20;

    public static void Map(GraphRouter router) => router.Map("POST", "$batch", Execute);

    private static GraphResult Execute(GraphCall call)
    {
        if (call.InBatch)
        {
            return GraphResult.Error(400, "BadRequest", "A batch cannot contain another batch.");
        }

        if (call.Body is not JsonObject { } body || body["requests"] is not JsonArray { } requests)
        {
            return GraphResult.Error(400, "BadRequest", "Invalid batch payload format: a 'requests' array is required.");
        }

        if (requests.Count is 0 or > MaxRequests)
        {
            return GraphResult.Error(400, "BadRequest", $"Invalid batch payload: the number of requests must be between 1 and {MaxRequests}.");
        }

        var items = new List<BatchItem>();
        foreach (var node in requests)
        {
            if (node is not JsonObject { } request || (string?)request["id"] is not { Length: > 0 } id || (string?)request["method"] is not { Length: > 0 } method || (string?)request["url"] is not { Length: > 0 } url)
            {
                return GraphResult.Error(400, "BadRequest", "Invalid batch payload format: every request needs id, method and url.");
            }

            if (items.Any(i => i.Id == id))
            {
                return GraphResult.Error(400, "BadRequest", $"Batch request ids must be unique; '{id}' is repeated.");
            }

            var headers = (request["headers"] as JsonObject ?? []).ToDictionary(h => h.Key, h => (string?)h.Value ?? "", StringComparer.OrdinalIgnoreCase);
            if (request["body"] is not null && !headers.ContainsKey("Content-Type"))
            {
                return GraphResult.Error(400, "BadRequest", $"Request '{id}' has a body but no Content-Type header.");
            }

            var dependsOn = (request["dependsOn"] as JsonArray ?? []).Select(d => (string?)d ?? "").ToList();
            if (dependsOn.Any(d => items.All(i => i.Id != d)))
            {
                return GraphResult.Error(400, "BadRequest", $"Request '{id}' depends on a request that does not come before it in the batch.");
            }

            items.Add(new BatchItem(id, method.ToUpperInvariant(), url, headers, request["body"], dependsOn));
        }

        var results = new Dictionary<string, int>(StringComparer.Ordinal);
        var responses = new List<JsonNode>();
        foreach (var item in items)
        {
            var started = call.Context.Time.GetTimestamp();
            var result = item.DependsOn.Any(d => results[d] >= 400)
                ? GraphResult.Error(424, "FailedDependency", "The request could not be run because a request it depends on failed.")
                : Run(call, item);
            var requestId = Guid.NewGuid().ToString();
            GraphRouter.Finish(result, requestId, requestId, call.Now);
            results[item.Id] = result.Status;
            var path = item.Url.Split('?')[0];
            call.Context.Journal.Add(new JournalEntry(call.Now, item.Method, $"/{call.Version}/{path.TrimStart('/')}", call.Tenant.Info.TenantId, result.Status, call.Context.Time.GetElapsedTime(started), result.Throttled, true, JournalEntry.NamesOf(item.Body)));
            var headers = new JsonObject();
            foreach (var (name, value) in result.Headers)
            {
                headers[name] = value;
            }

            if (result.Body is not null || result.Text is not null)
            {
                headers["Content-Type"] = result.Text is null ? "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8" : "text/plain";
            }

            responses.Add(new JsonObject
            {
                ["id"] = item.Id,
                ["status"] = result.Status,
                ["headers"] = headers,
                ["body"] = result.Body?.DeepClone() ?? (result.Text is null ? null : JsonValue.Create(result.Text)),
            });
        }

        for (var i = responses.Count - 1; i > 0; i--)
        {
            var j = (int)(call.Context.NextDouble() * (i + 1));
            (responses[i], responses[j]) = (responses[j], responses[i]);
        }

        return GraphResult.Ok(new JsonObject { ["responses"] = new JsonArray([.. responses]) });
    }

    private static GraphResult Run(GraphCall outer, BatchItem item)
    {
        var url = item.Url.TrimStart('/');
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? url : url[..question];
        var rawQuery = question < 0 ? "" : url[(question + 1)..];
        var segments = GraphCall.SplitPath(path);
        if (segments.Count > 0 && segments[0] is "v1.0" or "beta")
        {
            segments = [.. segments.Skip(1)];
        }

        var call = new GraphCall
        {
            Method = item.Method,
            Version = outer.Version,
            Segments = segments,
            Query = GraphCall.ParseQuery(rawQuery),
            RawQuery = rawQuery,
            Headers = item.Headers,
            Body = item.Body?.DeepClone(),
            Tenant = outer.Tenant,
            AppId = outer.AppId,
            Context = outer.Context,
            Router = outer.Router,
            InBatch = true,
        };
        try
        {
            return outer.Router.Dispatch(call);
        }
        catch (JsonException)
        {
            return GraphResult.Error(400, "BadRequest", "Unable to read JSON request payload.");
        }
    }

    private sealed record BatchItem(string Id, string Method, string Url, Dictionary<string, string> Headers, JsonNode? Body, List<string> DependsOn);
}
