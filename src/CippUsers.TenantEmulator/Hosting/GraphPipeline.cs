using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Auth;
using CippUsers.TenantEmulator.Graph;
using Microsoft.AspNetCore.Http;

namespace CippUsers.TenantEmulator.Hosting;

/// <summary>
/// Serves /v1.0/* and /beta/* over HTTP: token check, injected faults, latency, the route table, the journal.
/// </summary>
internal sealed class GraphPipeline(EmulatorContext context, GraphRouter router)
{
    public async Task HandleAsync(HttpContext http, string version, string path)
    {
        var started = context.Time.GetTimestamp();
        var request = http.Request;
        var requestId = Guid.NewGuid().ToString();
        var clientRequestId = request.Headers["client-request-id"].FirstOrDefault() ?? requestId;
        var displayPath = $"/{version}/{path}";
        string? tenantId = null;
        var status = 0;
        var throttled = false;
        IReadOnlyList<string>? bodyProperties = null;
        var journaled = false;
        try
        {
            var token = request.Headers.Authorization.FirstOrDefault() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
            var subject = context.Tokens.Validate(token, out var reason);
            if (subject is null || subject.Audience != TokenAudiences.Graph || !context.State.TryGetTenant(subject.TenantId, out var tenant))
            {
                var refused = GraphResult.Error(401, "InvalidAuthenticationToken",
                    subject is null ? reason : subject.Audience != TokenAudiences.Graph ? "Invalid audience." : "The token's tenant is not served here.");
                status = await WriteAsync(http, refused, requestId, clientRequestId);
                return;
            }

            tenantId = tenant.TenantId;
            var data = tenant.Data;
            var realism = data.Realism;
            if (realism.FaultRate > 0 && context.NextDouble() < realism.FaultRate)
            {
                var fault = realism.Faults[(int)(context.NextDouble() * realism.Faults.Count)];
                status = await FaultAsync(http, fault, requestId, clientRequestId, answering =>
                {
                    status = answering;
                    Journal();
                });
                return;
            }

            var delay = realism.Latency + (realism.LatencyJitter * context.NextDouble());
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.Time, http.RequestAborted);
            }

            JsonNode? body = null;
            if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                try
                {
                    body = await JsonNode.ParseAsync(request.Body, cancellationToken: http.RequestAborted);
                    bodyProperties = JournalEntry.NamesOf(body);
                }
                catch (JsonException)
                {
                    status = await WriteAsync(http, GraphResult.Error(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."), requestId, clientRequestId);
                    return;
                }
            }

            var rawQuery = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
            var call = new GraphCall
            {
                Method = request.Method.ToUpperInvariant(),
                Version = version,
                Segments = GraphCall.SplitPath(path),
                Query = GraphCall.ParseQuery(rawQuery),
                RawQuery = rawQuery,
                Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                Body = body,
                Tenant = data,
                AppId = subject.AppId,
                Context = context,
                Router = router,
            };
            var result = router.Dispatch(call);
            throttled = result.Throttled;
            status = result.Status;
            // Journaled before the answer leaves: a caller that has its answer may look at the journal at once.
            Journal();
            await WriteAsync(http, result, requestId, clientRequestId);
        }
        finally
        {
            Journal();
        }

        void Journal()
        {
            if (journaled)
                return;
            journaled = true;
            context.Journal.Add(new JournalEntry(context.Time.GetUtcNow(), request.Method, displayPath, tenantId, status, context.Time.GetElapsedTime(started), throttled, false, bodyProperties));
        }
    }

    /// <param name="answering">Called with the status just before the answer leaves (0: the connection is dropped).</param>
    private async Task<int> FaultAsync(HttpContext http, InjectedFault fault, string requestId, string clientRequestId, Action<int> answering)
    {
        switch (fault)
        {
            case InjectedFault.ConnectionReset:
                answering(0);
                http.Abort();
                return 0;
            case InjectedFault.GatewayTimeout:
                answering(504);
                return await WriteAsync(http, GraphResult.Error(504, "UnknownError", "Gateway Timeout"), requestId, clientRequestId);
            case InjectedFault.ServiceUnavailable:
                answering(503);
                var unavailable = GraphResult.Error(503, "serviceNotAvailable", "Service unavailable. Please retry again later.");
                unavailable.Headers["Retry-After"] = "1";
                return await WriteAsync(http, unavailable, requestId, clientRequestId);
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    private async Task<int> WriteAsync(HttpContext http, GraphResult result, string requestId, string clientRequestId)
    {
        GraphRouter.Finish(result, requestId, clientRequestId, context.Time.GetUtcNow());
        var response = http.Response;
        response.StatusCode = result.Status;
        foreach (var (name, value) in result.Headers)
        {
            response.Headers[name] = value;
        }

        if (result.Text is not null)
        {
            response.ContentType = "text/plain";
            await response.WriteAsync(result.Text, http.RequestAborted);
        }
        else if (result.Body is not null)
        {
            response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
            await response.WriteAsync(result.Body.ToJsonString(), http.RequestAborted);
        }

        return result.Status;
    }
}
