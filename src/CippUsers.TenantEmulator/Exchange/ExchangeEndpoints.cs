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

    public static void MapExchangeEndpoints(this WebApplication app, EmulatorContext context, ExchangeEmulator exchange) =>
        app.MapPost("/adminapi/beta/{tenant}/InvokeCommand", (HttpContext http, string tenant) => HandleAsync(http, tenant, context, exchange));

    private static async Task HandleAsync(HttpContext http, string tenantInUrl, EmulatorContext context, ExchangeEmulator exchange)
    {
        var started = context.Time.GetTimestamp();
        var request = http.Request;
        var query = request.Query;
        var select = query["$select"].FirstOrDefault();
        string? tenantId = null;
        string? cmdlet = null;
        IReadOnlyList<string> parameterNames = [];
        IReadOnlyList<string>? bodyProperties = null;
        var status = 0;
        var throttled = false;
        try
        {
            var token = request.Headers.Authorization.FirstOrDefault() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
            var subject = context.Tokens.Validate(token, out var reason);
            var tenant = Resolve(context, tenantInUrl);
            if (subject is null || subject.Audience != TokenAudiences.Exchange)
            {
                status = await WriteAsync(http, ExchangeErrors.Unauthorized(subject is null ? reason : "The token's audience is not https://outlook.office365.com."), null);
                return;
            }

            if (tenant is null)
            {
                status = await WriteAsync(http, ExchangeErrors.UnknownTenant(tenantInUrl), null);
                return;
            }

            if (!string.Equals(subject.TenantId, tenant.TenantId, StringComparison.OrdinalIgnoreCase))
            {
                status = await WriteAsync(http, ExchangeErrors.Unauthorized("The token was issued for another tenant."), null);
                return;
            }

            tenantId = tenant.TenantId;
            var realism = tenant.Data.Realism;
            if (exchange.TakeFault(tenantId) is { } injected)
            {
                var answer = injected switch
                {
                    ExchangeFault.Forbidden => ExchangeErrors.Forbidden(),
                    ExchangeFault.Throttled => ExchangeErrors.Concurrency(),
                    _ => ExchangeErrors.Unavailable(503),
                };
                throttled = answer.Throttled;
                status = await WriteAsync(http, answer, null);
                return;
            }

            if (realism.FaultRate > 0 && context.NextDouble() < realism.FaultRate)
            {
                var fault = realism.Faults[(int)(context.NextDouble() * realism.Faults.Count)];
                if (fault == InjectedFault.ConnectionReset)
                {
                    http.Abort();
                    return;
                }

                status = await WriteAsync(http, ExchangeErrors.Unavailable(fault == InjectedFault.GatewayTimeout ? 504 : 503), null);
                return;
            }

            var delay = realism.Latency + (realism.LatencyJitter * context.NextDouble());
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.Time, http.RequestAborted);
            }

            if (!exchange.TryTake(tenant, out var retryAfter, out var remaining))
            {
                throttled = true;
                status = await WriteAsync(http, ExchangeErrors.Throttled(retryAfter), null);
                return;
            }

            JsonObject? body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body, cancellationToken: http.RequestAborted) as JsonObject;
                bodyProperties = JournalEntry.NamesOf(body);
            }
            catch (JsonException)
            {
                body = null;
            }

            if (body?["CmdletInput"] is not JsonObject input || input["CmdletName"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || name.Length == 0)
            {
                status = await WriteAsync(http, ExchangeErrors.BadBody("The request body must be {\"CmdletInput\":{\"CmdletName\":\"...\",\"Parameters\":{...}}}."), null);
                return;
            }

            cmdlet = name;
            var parameters = input["Parameters"] as JsonObject ?? [];
            parameterNames = [.. parameters.Select(p => p.Key)];
            var (output, error) = ExchangeCmdlets.Run(tenant.Data, name, parameters, context.Time.GetUtcNow());
            if (error is not null)
            {
                status = await WriteAsync(http, error, null);
                return;
            }

            var skip = int.TryParse(query["$skiptoken"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            var pageSize = PageSize(request.Headers["Prefer"].ToString());
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

            var ok = new ExchangeError(200, envelope);
            ok.Headers["Rate-Limit-Limit"] = realism.ExchangeBudget.ToString(CultureInfo.InvariantCulture);
            ok.Headers["Rate-Limit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
            ok.Headers["Rate-Limit-Reset"] = context.Time.GetUtcNow().Add(realism.ExchangeBudgetWindow).UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
            status = await WriteAsync(http, ok, "Preference-Applied");
        }
        finally
        {
            var path = $"/adminapi/beta/{tenantInUrl}/InvokeCommand";
            context.Journal.Add(new JournalEntry(context.Time.GetUtcNow(), request.Method, path, tenantId, status, context.Time.GetElapsedTime(started), throttled, false, bodyProperties));
            exchange.Record(new ExchangeCall(context.Time.GetUtcNow(), tenantId, cmdlet, parameterNames, request.Headers["X-AnchorMailbox"].FirstOrDefault(), select, status));
        }
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
