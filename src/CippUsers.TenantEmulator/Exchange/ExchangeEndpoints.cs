using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Auth;
using CippUsers.TenantEmulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CippUsers.TenantEmulator.Exchange;

/// <summary>
/// Exchange Online's admin REST API: <c>POST /adminapi/beta/{tenant}/InvokeCommand</c> ({tenant} = tenant id or its
/// default or initial domain, optional <c>$select</c>). Needs a token for https://outlook.office365.com of that tenant;
/// then injected faults, latency and the tenant's Exchange budget apply as they do for Graph, and every call is journaled.
/// Lists page by <c>Prefer: odata.maxpagesize</c> with an <c>@odata.nextLink</c> the client re-posts the same body to.
/// </summary>
internal static class ExchangeEndpoints
{
    public const int MaxPageSize = 1000;

    /// <summary>Requests per $batch envelope (CIPP sends 10; Exchange's own limit is not documented).</summary>
    public const int MaxBatchItems = 10;

    public static void MapExchangeEndpoints(this WebApplication app, EmulatorContext context, ExchangeEmulator exchange)
    {
        app.MapPost("/adminapi/beta/{tenant}/InvokeCommand", (HttpContext http, string tenant) => HandleAsync(http, tenant, context, exchange));
        app.MapPost("/adminapi/beta/{tenant}/$batch", (HttpContext http, string tenant) => HandleBatchAsync(http, tenant, context, exchange));
    }

    private static async Task HandleAsync(HttpContext http, string tenantInUrl, EmulatorContext context, ExchangeEmulator exchange)
    {
        var started = context.Time.GetTimestamp();
        var request = http.Request;
        var select = request.Query["$select"].FirstOrDefault();
        string? tenantId = null;
        string? cmdlet = null;
        IReadOnlyList<string> parameterNames = [];
        IReadOnlyList<string>? bodyProperties = null;
        var status = 0;
        var throttled = false;
        var journaled = false;
        try
        {
            var (tenant, refusal, admittedTenantId) = await AdmitAsync(http, tenantInUrl, context, exchange);
            tenantId = admittedTenantId;
            if (tenant is null)
            {
                throttled = refusal?.Throttled == true;
                status = refusal?.Status ?? 0;
                Journal();
                if (refusal is null)
                    http.Abort();
                else
                    await WriteAsync(http, refusal, null);
                return;
            }

            if (!exchange.TryTake(tenant, out var retryAfter, out var remaining))
            {
                throttled = true;
                var refused = ExchangeErrors.Throttled(retryAfter);
                status = refused.Status;
                Journal();
                await WriteAsync(http, refused, null);
                return;
            }

            var body = await ReadBodyAsync(http);
            bodyProperties = JournalEntry.NamesOf(body);
            var command = Execute(context, tenant, tenantInUrl, body, select, request.Query["$skiptoken"].FirstOrDefault(), request.Headers["Prefer"].ToString(), remaining);
            cmdlet = command.Cmdlet;
            parameterNames = command.ParameterNames;
            status = command.Answer.Status;
            Journal();
            await WriteAsync(http, command.Answer, command.Answer.Status == 200 ? "Preference-Applied" : null);
        }
        finally
        {
            Journal();
        }

        // Journaled before the answer leaves (or the connection drops), so a caller that has its answer can look at once.
        void Journal()
        {
            if (journaled)
                return;
            journaled = true;
            var path = $"/adminapi/beta/{tenantInUrl}/InvokeCommand";
            context.Journal.Add(new JournalEntry(context.Time.GetUtcNow(), request.Method, path, tenantId, status, context.Time.GetElapsedTime(started), throttled, false, bodyProperties));
            exchange.Record(new ExchangeCall(context.Time.GetUtcNow(), tenantId, cmdlet, parameterNames, request.Headers["X-AnchorMailbox"].FirstOrDefault(), select, status));
        }
    }

    /// <summary>
    /// <c>$batch</c> (New-ExoBulkRequest): up to <see cref="MaxBatchItems"/> InvokeCommand requests in one envelope, each
    /// answered in <c>responses[]</c> by its id with a status and the body it would have had on its own (errors included);
    /// the envelope itself answers 200. Every item draws from the Exchange budget and is journaled as a batch item.
    /// </summary>
    private static async Task HandleBatchAsync(HttpContext http, string tenantInUrl, EmulatorContext context, ExchangeEmulator exchange)
    {
        var started = context.Time.GetTimestamp();
        var request = http.Request;
        string? tenantId = null;
        var status = 0;
        try
        {
            var (tenant, refusal, admittedTenantId) = await AdmitAsync(http, tenantInUrl, context, exchange);
            tenantId = admittedTenantId;
            if (tenant is null)
            {
                if (refusal is null)
                    http.Abort();
                else
                    status = await WriteAsync(http, refusal, null);
                return;
            }

            var body = await ReadBodyAsync(http);
            if (body?["requests"] is not JsonArray requests || requests.Count == 0 || requests.Count > MaxBatchItems
                || requests.Any(r => r is not JsonObject item || (string?)item["id"] is not { Length: > 0 }))
            {
                status = await WriteAsync(http, ExchangeErrors.BadBody($"A batch holds 1 to {MaxBatchItems} requests, each with an id, method, url and body."), null);
                return;
            }

            var responses = new JsonArray();
            foreach (var item in requests.Cast<JsonObject>())
            {
                var itemStarted = context.Time.GetTimestamp();
                var id = (string)item["id"]!;
                var url = Uri.TryCreate((string?)item["url"], UriKind.Absolute, out var parsed) ? parsed : null;
                var itemQuery = url is null ? new Dictionary<string, string>() : Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query).ToDictionary(q => q.Key, q => q.Value.ToString());
                var headers = item["headers"] as JsonObject ?? [];
                string? cmdlet = null;
                IReadOnlyList<string> parameterNames = [];
                ExchangeError answer;
                if (url is null || !url.AbsolutePath.EndsWith("/InvokeCommand", StringComparison.OrdinalIgnoreCase) || !string.Equals((string?)item["method"], "POST", StringComparison.OrdinalIgnoreCase))
                {
                    answer = ExchangeErrors.BadBody("Only POST …/InvokeCommand requests can be batched.");
                }
                else if (!exchange.TryTake(tenant, out var retryAfter, out var remaining))
                {
                    answer = ExchangeErrors.Throttled(retryAfter);
                }
                else
                {
                    var command = Execute(context, tenant, tenantInUrl, item["body"] as JsonObject, itemQuery.GetValueOrDefault("$select"), itemQuery.GetValueOrDefault("$skiptoken"),
                        Header(headers, "Prefer") ?? request.Headers["Prefer"].ToString(), remaining);
                    (answer, cmdlet, parameterNames) = (command.Answer, command.Cmdlet, command.ParameterNames);
                }

                responses.Add(new JsonObject { ["id"] = id, ["status"] = answer.Status, ["body"] = answer.Body?.DeepClone() });
                context.Journal.Add(new JournalEntry(context.Time.GetUtcNow(), "POST", $"/adminapi/beta/{tenantInUrl}/InvokeCommand", tenantId, answer.Status,
                    context.Time.GetElapsedTime(itemStarted), answer.Throttled, true, JournalEntry.NamesOf(item["body"])));
                exchange.Record(new ExchangeCall(context.Time.GetUtcNow(), tenantId, cmdlet, parameterNames,
                    Header(headers, "X-AnchorMailbox") ?? request.Headers["X-AnchorMailbox"].FirstOrDefault(), itemQuery.GetValueOrDefault("$select"), answer.Status));
            }

            status = await WriteAsync(http, new ExchangeError(200, new JsonObject { ["responses"] = responses }), null);
        }
        finally
        {
            context.Journal.Add(new JournalEntry(context.Time.GetUtcNow(), request.Method, $"/adminapi/beta/{tenantInUrl}/$batch", tenantId, status, context.Time.GetElapsedTime(started), false, false));
        }
    }

    /// <summary>
    /// Token (Exchange audience, the URL's tenant), injected and random faults, latency. Returns the tenant when the
    /// request may run; else the refusal to write, or neither when the connection was dropped.
    /// </summary>
    private static async Task<(EmulatedTenant? Tenant, ExchangeError? Refusal, string? TenantId)> AdmitAsync(HttpContext http, string tenantInUrl, EmulatorContext context, ExchangeEmulator exchange)
    {
        var request = http.Request;
        var token = request.Headers.Authorization.FirstOrDefault() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        var subject = context.Tokens.Validate(token, out var reason);
        if (subject is null || subject.Audience != TokenAudiences.Exchange)
        {
            return (null, ExchangeErrors.Unauthorized(subject is null ? reason : "The token's audience is not https://outlook.office365.com."), null);
        }

        var tenant = Resolve(context, tenantInUrl);
        if (tenant is null)
        {
            return (null, ExchangeErrors.UnknownTenant(tenantInUrl), null);
        }

        if (!string.Equals(subject.TenantId, tenant.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return (null, ExchangeErrors.Unauthorized("The token was issued for another tenant."), null);
        }

        if (exchange.TakeFault(tenant.TenantId) is { } injected)
        {
            return (null, injected switch
            {
                ExchangeFault.Forbidden => ExchangeErrors.Forbidden(),
                ExchangeFault.Throttled => ExchangeErrors.Concurrency(),
                _ => ExchangeErrors.Unavailable(503),
            }, tenant.TenantId);
        }

        var realism = tenant.Data.Realism;
        if (realism.FaultRate > 0 && context.NextDouble() < realism.FaultRate)
        {
            var fault = realism.Faults[(int)(context.NextDouble() * realism.Faults.Count)];
            if (fault == InjectedFault.ConnectionReset)
            {
                // No refusal: the caller journals the request, then drops the connection.
                return (null, null, tenant.TenantId);
            }

            return (null, ExchangeErrors.Unavailable(fault == InjectedFault.GatewayTimeout ? 504 : 503), tenant.TenantId);
        }

        var delay = realism.Latency + (realism.LatencyJitter * context.NextDouble());
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.Time, http.RequestAborted);
        }

        return (tenant, null, tenant.TenantId);
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Header(JsonObject headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A cmdlet run: its answer (success envelope or error) and what the journal records about it.</summary>
    private sealed record Command(ExchangeError Answer, string? Cmdlet, IReadOnlyList<string> ParameterNames);

    /// <summary>Runs the cmdlet a body asks for and builds the page of its output the request asks for.</summary>
    private static Command Execute(EmulatorContext context, EmulatedTenant tenant, string tenantInUrl, JsonObject? body, string? select, string? skiptoken, string prefer, double remaining)
    {
        if (body?["CmdletInput"] is not JsonObject input || input["CmdletName"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || name.Length == 0)
        {
            return new Command(ExchangeErrors.BadBody("The request body must be {\"CmdletInput\":{\"CmdletName\":\"...\",\"Parameters\":{...}}}."), null, []);
        }

        var parameters = input["Parameters"] as JsonObject ?? [];
        IReadOnlyList<string> parameterNames = [.. parameters.Select(p => p.Key)];
        var (output, error) = ExchangeCmdlets.Run(tenant.Data, name, parameters, context.Time.GetUtcNow());
        if (error is not null)
        {
            return new Command(error, name, parameterNames);
        }

        var skip = int.TryParse(skiptoken, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var pageSize = PageSize(prefer);
        var rows = output!.Rows.Skip(skip).Take(pageSize).Select(r => Select(r, select)).ToList();
        var envelope = new JsonObject
        {
            ["@odata.context"] = $"{context.BaseUri}adminapi/beta/{tenantInUrl}/$metadata#Collection(Exchange.GenericHashTable)",
            ["adminapi.warnings@odata.type"] = "#Collection(String)",
            ["@adminapi.warnings"] = new JsonArray([.. output.Warnings.Select(w => (JsonNode)w)]),
            ["value"] = new JsonArray([.. rows]),
        };
        if (skip + pageSize < output.Rows.Count)
        {
            var next = $"{context.BaseUri}adminapi/beta/{tenantInUrl}/InvokeCommand?$skiptoken={skip + pageSize}";
            envelope["@odata.nextLink"] = select is null ? next : $"{next}&$select={Uri.EscapeDataString(select)}";
        }

        var realism = tenant.Data.Realism;
        var ok = new ExchangeError(200, envelope);
        ok.Headers["Rate-Limit-Limit"] = realism.ExchangeBudget.ToString(CultureInfo.InvariantCulture);
        ok.Headers["Rate-Limit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        ok.Headers["Rate-Limit-Reset"] = context.Time.GetUtcNow().Add(realism.ExchangeBudgetWindow).UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
        return new Command(ok, name, parameterNames);
    }

    /// <summary>The tenant a URL names by id, default domain or initial (onmicrosoft.com) domain.</summary>
    private static EmulatedTenant? Resolve(EmulatorContext context, string tenant) =>
        context.State.All.FirstOrDefault(t =>
            string.Equals(t.TenantId, tenant, StringComparison.OrdinalIgnoreCase)
            || string.Equals(t.Info.DefaultDomain, tenant, StringComparison.OrdinalIgnoreCase)
            || string.Equals(t.Info.InitialDomain, tenant, StringComparison.OrdinalIgnoreCase));

    private static int PageSize(string prefer)
    {
        foreach (var part in prefer.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length == 2 && string.Equals(pair[0], "odata.maxpagesize", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0)
            {
                return Math.Min(size, MaxPageSize);
            }
        }

        return MaxPageSize;
    }

    /// <summary>$select keeps the named properties (case-insensitive) and their annotations.</summary>
    private static JsonObject Select(JsonObject row, string? select)
    {
        if (string.IsNullOrWhiteSpace(select))
        {
            return row;
        }

        var wanted = select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var selected = new JsonObject();
        foreach (var (key, value) in row)
        {
            if (wanted.Contains(key.Split('@')[0]))
            {
                selected[key] = value?.DeepClone();
            }
        }

        return selected;
    }

    private static async Task<int> WriteAsync(HttpContext http, ExchangeError answer, string? preferenceApplied)
    {
        var response = http.Response;
        response.StatusCode = answer.Status;
        response.Headers["request-id"] = Guid.NewGuid().ToString();
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        if (preferenceApplied is not null)
        {
            response.Headers["OData-Version"] = "4.0";
            response.Headers[preferenceApplied] = "odata.include-annotations=\"*\"";
        }

        if (answer.Raw is not null)
        {
            response.ContentType = answer.RawContentType;
            await response.Body.WriteAsync(answer.Raw, http.RequestAborted);
        }
        else if (answer.Body is not null)
        {
            response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
            await response.WriteAsync(answer.Body.ToJsonString(), http.RequestAborted);
        }

        return answer.Status;
    }
}
