using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CippUsers.Graph.Sherweb;

/// <summary>
/// Sherweb's partner API (service-provider v1) for the customer tenants mapped under Sherweb:Customers: OAuth client
/// credentials (token cached until shortly before it expires), <c>Ocp-Apim-Subscription-Key</c> on every API call,
/// retries of reads answered 408/429/5xx through the HTTP client's resilience handler (never of a quantity change: see
/// <see cref="SetQuantityAsync"/>), and errors as <see cref="GraphFailure"/>s.
/// </summary>
public sealed class SherwebClient
{
    /// <summary>The named HttpClient (resilience handler, trusted certificate) the client uses.</summary>
    public const string HttpClientName = "sherweb";

    private static readonly TimeSpan ExpirySkew = TimeSpan.FromMinutes(2);

    private readonly IHttpClientFactory httpClients;
    private readonly SherwebOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<SherwebClient> log;
    private readonly SemaphoreSlim tokenGate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? cached;

    internal SherwebClient(IHttpClientFactory httpClients, IOptions<SherwebOptions> options, TimeProvider time, ILogger<SherwebClient> log)
    {
        this.httpClients = httpClients;
        this.options = options.Value;
        this.time = time;
        this.log = log;
    }

    /// <summary>True when the integration is on and the tenant has a Sherweb customer id.</summary>
    public bool IsEnabledFor(string tenantId) => options.Enabled && CustomerIdFor(tenantId) is not null;

    /// <summary>The tenant's Sherweb customer id, or null.</summary>
    public string? CustomerIdFor(string tenantId) =>
        options.Customers.FirstOrDefault(c => string.Equals(c.TenantId, tenantId, StringComparison.OrdinalIgnoreCase))?.CustomerId;

    /// <summary>The customer's current subscriptions (<c>GET billing/subscriptions/details?customerId=</c>).</summary>
    public async Task<GraphResult<IReadOnlyList<SherwebSubscription>>> ListSubscriptionsAsync(string tenantId, CancellationToken ct)
    {
        if (!IsEnabledFor(tenantId))
            return SherwebErrors.NotConfigured;
        var customerId = CustomerIdFor(tenantId)!;
        var answer = await SendAsync(HttpMethod.Get, $"billing/subscriptions/details?customerId={Uri.EscapeDataString(customerId)}", null, tenantId, ct);
        if (!answer.Succeeded)
            return answer.Failure;
        try
        {
            var items = answer.Value?["items"] as JsonArray ?? throw new FormatException("No items.");
            return GraphResult<IReadOnlyList<SherwebSubscription>>.Ok([.. items.OfType<JsonObject>().Select(i => new SherwebSubscription(
                i["id"]!.GetValue<string>(), i["productName"]?.GetValue<string>() ?? "", i["description"]?.GetValue<string>(),
                i["sku"]?.GetValue<string>() ?? "", i["quantity"]?.GetValue<int>() ?? 0))]);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            return SherwebErrors.FromException(new FormatException("Unreadable subscription details.", e));
        }
    }

    /// <summary>One subscription as <c>subscriptions/details</c> answers now (never cached: purchases decide on it).</summary>
    public async Task<GraphResult<SherwebSubscription>> GetSubscriptionAsync(string tenantId, string subscriptionId, CancellationToken ct)
    {
        var subscriptions = await ListSubscriptionsAsync(tenantId, ct);
        if (!subscriptions.Succeeded)
            return subscriptions.Failure;
        return subscriptions.Value!.FirstOrDefault(s => string.Equals(s.Id, subscriptionId, StringComparison.OrdinalIgnoreCase)) is { } found
            ? GraphResult<SherwebSubscription>.Ok(found)
            : SherwebErrors.SubscriptionGone;
    }

    /// <summary>
    /// Asks Sherweb to set <paramref name="subscription"/> to <paramref name="newQuantity"/> seats (an absolute quantity:
    /// POST <c>billing/subscriptions/amendments</c>). Sherweb accepts it and processes it later. Sent once, never retried:
    /// when the answer is lost (timeout, reset connection, 5xx) the outcome is <see cref="SherwebWriteOutcome.Unknown"/>,
    /// because Sherweb may have accepted it; the caller finds out by re-reading the subscription.
    /// </summary>
    /// <param name="subscription">The subscription as just read (its quantity is only used for the log and the receipt).</param>
    public async Task<SherwebAmendmentResult> SetQuantityAsync(string tenantId, SherwebSubscription subscription, int newQuantity, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentOutOfRangeException.ThrowIfNegative(newQuantity);
        if (!IsEnabledFor(tenantId))
            return SherwebAmendmentResult.Refused(SherwebErrors.NotConfigured);
        var customerId = CustomerIdFor(tenantId)!;
        var body = new JsonObject
        {
            ["subscriptionAmendmentParameters"] = new JsonArray(new JsonObject { ["subscriptionId"] = subscription.Id, ["newQuantity"] = newQuantity }),
        };
        var (answer, mayHaveCommitted) = await SendCoreAsync(HttpMethod.Post, $"billing/subscriptions/amendments?customerId={Uri.EscapeDataString(customerId)}", body, tenantId, ct);
        if (!answer.Succeeded)
        {
            if (!mayHaveCommitted)
                return SherwebAmendmentResult.Refused(answer.Failure);
            log.LogWarning("Sherweb amendment for subscription {SubscriptionId} of tenant {TenantId} ({Old} -> {New}): answer lost ({Code}); outcome unknown",
                subscription.Id, tenantId, subscription.Quantity, newQuantity, answer.Failure.Code);
            return SherwebAmendmentResult.Unknown(SherwebErrors.AnswerLost(answer.Failure));
        }

        string amendmentId;
        string? trackingId;
        try
        {
            amendmentId = answer.Value?["subscriptionsAmendmentId"]?.GetValue<string>() ?? "";
            trackingId = answer.Value?["trackingId"]?["requestTrackingId"]?.GetValue<string>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            (amendmentId, trackingId) = ("", null); // accepted (2xx) all the same
        }

        log.LogInformation("Sherweb amendment {AmendmentId} accepted for subscription {SubscriptionId} of tenant {TenantId}: {Old} -> {New}",
            amendmentId, subscription.Id, tenantId, subscription.Quantity, newQuantity);
        return SherwebAmendmentResult.Accepted(new SherwebAmendment(amendmentId, trackingId, subscription, newQuantity));
    }

    /// <summary>Where an amendment stands: Pending, Processing, Success, Failure, Canceled or PartialSuccess.</summary>
    public async Task<GraphResult<string>> AmendmentStatusAsync(string tenantId, string amendmentId, CancellationToken ct)
    {
        if (!IsEnabledFor(tenantId))
            return SherwebErrors.NotConfigured;
        var answer = await SendAsync(HttpMethod.Get, $"billing/subscriptions/amendments/{Uri.EscapeDataString(amendmentId)}/status", null, tenantId, ct);
        return answer.Succeeded
            ? answer.Value is JsonValue v && v.TryGetValue<string>(out var status) ? GraphResult<string>.Ok(status) : SherwebErrors.FromException(new FormatException())
            : answer.Failure;
    }

    /// <summary>Whether a request can change what a customer is billed for (never retried blindly).</summary>
    internal static bool IsWrite(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri is { } uri
        && (uri.AbsolutePath.EndsWith("/amendments", StringComparison.OrdinalIgnoreCase)
            || uri.AbsolutePath.EndsWith("/orders", StringComparison.OrdinalIgnoreCase)
            || uri.AbsolutePath.EndsWith("/cancellations", StringComparison.OrdinalIgnoreCase));

    private async Task<GraphResult<JsonNode?>> SendAsync(HttpMethod method, string path, JsonNode? body, string tenantId, CancellationToken ct) =>
        (await SendCoreAsync(method, path, body, tenantId, ct)).Result;

    /// <returns>The answer, and for a failure whether the request may have reached Sherweb and been acted on (no answer,
    /// a reset connection, a timeout, 408 or 5xx), as opposed to refused before anything happened.</returns>
    private async Task<(GraphResult<JsonNode?> Result, bool MayHaveCommitted)> SendCoreAsync(HttpMethod method, string path, JsonNode? body, string tenantId, CancellationToken ct)
    {
        var http = httpClients.CreateClient(HttpClientName);
        for (var attempt = 1; ; attempt++)
        {
            var sent = false;
            try
            {
                var token = await TokenAsync(http, ct);
                if (!token.Succeeded)
                    return (token.Failure, false);

                using var request = new HttpRequestMessage(method, new Uri(new Uri(EnsureSlash(options.ApiBaseUrl)), path));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
                request.Headers.Add("Ocp-Apim-Subscription-Key", options.SubscriptionKey);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (body is not null)
                    request.Content = JsonContent.Create(body);

                sent = true;
                using var response = await http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (response.IsSuccessStatusCode)
                {
                    try
                    {
                        return (GraphResult<JsonNode?>.Ok(text.Length == 0 ? null : JsonNode.Parse(text)), false);
                    }
                    catch (JsonException)
                    {
                        return (GraphResult<JsonNode?>.Ok(null), false); // accepted; the receipt is unreadable
                    }
                }

                // A token revoked or rotated early: forget it and try once more with a fresh one.
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
                {
                    cached = null;
                    continue;
                }

                var problem = TryParse(text) as JsonObject;
                var failure = SherwebErrors.FromResponse(response.StatusCode, problem?["type"]?.ToString(), problem?["instance"]?.ToString());
                log.LogInformation("Sherweb {Method} {Path} for tenant {TenantId} failed: {Status} {Code}",
                    method.Method, path.Split('?')[0], tenantId, (int)response.StatusCode, failure.Code);
                return (failure, response.StatusCode is HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var failure = SherwebErrors.FromException(e);
                log.LogInformation("Sherweb {Method} {Path} for tenant {TenantId} failed: {ErrorType} ({Code})", method.Method, path.Split('?')[0], tenantId, e.GetType().Name, failure.Code);
                // Only a connection that was never made proves the request did not arrive.
                var neverArrived = !sent || e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError };
                return (failure, !neverArrived);
            }
        }
    }

    private async Task<GraphResult<string>> TokenAsync(HttpClient http, CancellationToken ct)
    {
        if (cached is { } hit && time.GetUtcNow() < hit.RenewAt)
            return GraphResult<string>.Ok(hit.Token);

        await tokenGate.WaitAsync(ct);
        try
        {
            if (cached is { } again && time.GetUtcNow() < again.RenewAt)
                return GraphResult<string>.Ok(again.Token);

            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = options.ClientId ?? "",
                ["client_secret"] = options.ClientSecret ?? "",
                ["scope"] = options.Scope,
                ["grant_type"] = "client_credentials",
            });
            using var response = await http.PostAsync(new Uri(options.TokenUrl), content, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                log.LogWarning("Sherweb token request failed: {Status} {Error}", (int)response.StatusCode, (TryParse(text) as JsonObject)?["error"]?.ToString());
                return response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    ? SherwebErrors.SignInFailed
                    : SherwebErrors.FromResponse(response.StatusCode, null, null);
            }

            var json = JsonNode.Parse(text)!;
            var token = json["access_token"]!.GetValue<string>();
            var lifetime = TimeSpan.FromSeconds(json["expires_in"] is JsonValue seconds ? seconds.GetValue<double>() : 3600);
            var skew = lifetime > ExpirySkew * 2 ? ExpirySkew : lifetime / 2;
            cached = (token, time.GetUtcNow() + lifetime - skew);
            log.LogDebug("Sherweb token obtained, valid for {Seconds} s", lifetime.TotalSeconds.ToString(CultureInfo.InvariantCulture));
            return GraphResult<string>.Ok(token);
        }
        finally
        {
            tokenGate.Release();
        }
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string EnsureSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
