using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.Logging;

namespace CippUsers.Graph.Exchange;

/// <summary>One cmdlet of a batch. <see cref="AnchorMailbox"/> null anchors on the tenant's system mailbox.</summary>
public sealed record ExchangeCommand(string Cmdlet, JsonObject Parameters, string? AnchorMailbox = null);

public sealed partial class ExchangeCommands
{
    /// <summary>Requests per $batch envelope (as CIPP sends them).</summary>
    public const int BatchSize = 10;

    /// <summary>
    /// Runs many cmdlets through <c>$batch</c> (external-apis.md §1.6), <see cref="BatchSize"/> per envelope, and returns one
    /// result per command in the same order. An item answered 429 or 5xx is sent again in a later envelope (at most
    /// MaxRetries times, waiting RetryDelay, doubling); an item with a nextLink has its further pages read one by one.
    /// The whole call fails only when an envelope cannot be sent at all.
    /// </summary>
    public async Task<GraphResult<IReadOnlyList<GraphResult<ExchangeOutput>>>> InvokeBatchAsync(string tenantId, IReadOnlyList<ExchangeCommand> commands, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (!tenants.IsKnown(tenantId) && !string.Equals(graphOptions.HomeTenantId, tenantId, StringComparison.OrdinalIgnoreCase))
            return GraphCalls.UnknownTenant;

        var root = new Uri(options.BaseUrl.TrimEnd('/') + "/");
        var invokeUrl = new Uri(root, $"adminapi/beta/{Uri.EscapeDataString(tenantId)}/InvokeCommand");
        var batchUrl = new Uri(root, $"adminapi/beta/{Uri.EscapeDataString(tenantId)}/$batch");
        var systemAnchor = $"APP:{SystemMailbox}@{tenantId}";
        var results = new GraphResult<ExchangeOutput>[commands.Count];
        var pending = Enumerable.Range(0, commands.Count).ToList();
        var delay = options.RetryDelay;
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            var credential = tenantClients.CredentialFor(tenantId);
            for (var round = 0; pending.Count > 0; round++)
            {
                var again = new List<int>();
                foreach (var chunk in pending.Chunk(BatchSize))
                {
                    var ids = chunk.ToDictionary(_ => Guid.NewGuid().ToString(), i => i);
                    var requests = new JsonArray([.. ids.Select(pair => (JsonNode)new JsonObject
                    {
                        ["id"] = pair.Key,
                        ["method"] = "POST",
                        ["url"] = invokeUrl + "?",
                        ["body"] = Body(commands[pair.Value]),
                        ["headers"] = new JsonObject
                        {
                            ["X-AnchorMailbox"] = commands[pair.Value].AnchorMailbox ?? systemAnchor,
                            ["X-CmdletName"] = commands[pair.Value].Cmdlet,
                            ["Accept"] = "application/json; odata.metadata=minimal",
                        },
                    })]);
                    var token = await credential.GetTokenAsync(new TokenRequestContext([options.Scope]), ct);
                    using var request = new HttpRequestMessage(HttpMethod.Post, batchUrl);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
                    request.Headers.Add("X-AnchorMailbox", systemAnchor);
                    request.Headers.Add("Prefer", $"odata.maxpagesize={options.PageSize};odata.continue-on-error");
                    request.Headers.Add("parameter-based-routing", "true");
                    request.Content = new StringContent(new JsonObject { ["requests"] = requests }.ToJsonString(), Encoding.UTF8, "application/json");

                    using var response = await http.SendAsync(request, ct);
                    var text = await response.Content.ReadAsStringAsync(ct);
                    var requestId = response.Headers.TryGetValues("request-id", out var values) ? values.FirstOrDefault() : null;
                    if (!response.IsSuccessStatusCode)
                    {
                        var failure = ExchangeFailures.FromResponse(response.StatusCode, text, requestId);
                        log.LogInformation("Exchange $batch in {TenantId} failed: {Status} {Code}", tenantId, (int)response.StatusCode, failure.Code);
                        return failure;
                    }

                    var answers = (ExchangeJson.TryParse(text) as JsonObject)?["responses"] as JsonArray ?? [];
                    foreach (var (id, index) in ids)
                    {
                        var answer = answers.OfType<JsonObject>().FirstOrDefault(a => (string?)a["id"] == id);
                        var itemBody = answer?["body"] as JsonObject;
                        var status = Status(answer, itemBody);
                        if (answer is null)
                        {
                            results[index] = Unreadable(requestId);
                        }
                        else if (status is 429 or >= 500 && round < options.MaxRetries)
                        {
                            again.Add(index);
                        }
                        else if (status >= 400 || itemBody?["error"] is not null)
                        {
                            results[index] = ExchangeFailures.FromResponse((HttpStatusCode)status, itemBody?.ToJsonString() ?? "", requestId);
                        }
                        else
                        {
                            var rows = new List<JsonObject>();
                            var warnings = new List<string>();
                            var next = itemBody is null ? null : Collect(itemBody, rows, warnings);
                            GraphFailure? failure = null;
                            if (next is not null)
                            {
                                failure = SameHost(next, root, out var nextUrl)
                                    ? await SendPagesAsync(tenantId, commands[index].Cmdlet, nextUrl, Body(commands[index]).ToJsonString(), commands[index].AnchorMailbox ?? systemAnchor, rows, warnings, ct)
                                    : Unreadable(requestId);
                            }
                            results[index] = failure is null ? GraphResult<ExchangeOutput>.Ok(new ExchangeOutput(rows, warnings)) : failure;
                        }
                    }
                }

                pending = again;
                if (pending.Count > 0)
                {
                    log.LogInformation("Exchange $batch in {TenantId}: {Count} item(s) throttled or unavailable; retrying in {Delay}", tenantId, pending.Count, delay);
                    await Task.Delay(delay, ct);
                    delay *= 2;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var failure = ExchangeFailures.FromException(e);
            log.LogInformation("Exchange $batch in {TenantId} failed: {ErrorType} ({Code})", tenantId, e.GetType().Name, failure.Code);
            return failure;
        }

        return GraphResult<IReadOnlyList<GraphResult<ExchangeOutput>>>.Ok(results);
    }

    private static JsonObject Body(ExchangeCommand command) => new()
    {
        ["CmdletInput"] = new JsonObject { ["CmdletName"] = command.Cmdlet, ["Parameters"] = command.Parameters.DeepClone() },
    };

    // Per-item status is not documented; without one, an error body's code says what kind of failure it was.
    private static int Status(JsonObject? answer, JsonObject? body)
    {
        if (answer?["status"] is JsonValue v && v.TryGetValue<int>(out var status))
            return status;
        return (string?)body?["error"]?["code"] switch
        {
            null => 200,
            "NotFound" => 404,
            "BadRequest" => 400,
            "Forbidden" => 403,
            "TooManyRequests" => 429,
            var code when int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) => numeric,
            _ => 500,
        };
    }
}
