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
/// retries of 408/429/5xx through the HTTP client's resilience handler, and errors as <see cref="GraphFailure"/>s.
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

    /// <summary>
    /// Raises the subscription's quantity by <paramref name="seats"/> (CIPP's Set-SherwebSubscription -Add): reads the
    /// current quantity from the details, then posts an amendment to current + seats. Sherweb accepts it and processes it
    /// later; the new seats reach the tenant's subscribedSkus after that.
    /// </summary>
    public async Task<GraphResult<SherwebAmendment>> AddSeatsAsync(string tenantId, string subscriptionId, int seats, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seats, 1);
        var subscriptions = await ListSubscriptionsAsync(tenantId, ct);
        if (!subscriptions.Succeeded)
            return subscriptions.Failure;
        var subscription = subscriptions.Value!.FirstOrDefault(s => string.Equals(s.Id, subscriptionId, StringComparison.OrdinalIgnoreCase));
        if (subscription is null)
            return SherwebErrors.SubscriptionGone;

        var customerId = CustomerIdFor(tenantId)!;
        var newQuantity = subscription.Quantity + seats;
        // newQuantity is absolute, so a retried POST asks for the same quantity again instead of buying twice.
        var body = new JsonObject
        {
            ["subscriptionAmendmentParameters"] = new JsonArray(new JsonObject { ["subscriptionId"] = subscription.Id, ["newQuantity"] = newQuantity }),
        };
        var answer = await SendAsync(HttpMethod.Post, $"billing/subscriptions/amendments?customerId={Uri.EscapeDataString(customerId)}", body, tenantId, ct);
        if (!answer.Succeeded)
            return answer.Failure;
        var amendmentId = answer.Value?["subscriptionsAmendmentId"]?.GetValue<string>() ?? "";
        var trackingId = answer.Value?["trackingId"]?["requestTrackingId"]?.GetValue<string>();
        log.LogInformation("Sherweb amendment {AmendmentId} accepted for subscription {SubscriptionId} of tenant {TenantId}: {Old} -> {New}",
            amendmentId, subscription.Id, tenantId, subscription.Quantity, newQuantity);
        return GraphResult<SherwebAmendment>.Ok(new SherwebAmendment(amendmentId, trackingId, subscription, newQuantity));
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

    private async Task<GraphResult<JsonNode?>> SendAsync(HttpMethod method, string path, JsonNode? body, string tenantId, CancellationToken ct)
    {
        var http = httpClients.CreateClient(HttpClientName);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var token = await TokenAsync(http, ct);
                if (!token.Succeeded)
                    return token.Failure;

                using var request = new HttpRequestMessage(method, new Uri(new Uri(EnsureSlash(options.ApiBaseUrl)), path));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
                request.Headers.Add("Ocp-Apim-Subscription-Key", options.SubscriptionKey);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (body is not null)
                    request.Content = JsonContent.Create(body);

                using var response = await http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (response.IsSuccessStatusCode)
                    return GraphResult<JsonNode?>.Ok(text.Length == 0 ? null : JsonNode.Parse(text));

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
                return failure;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var failure = SherwebErrors.FromException(e);
                log.LogInformation("Sherweb {Method} {Path} for tenant {TenantId} failed: {ErrorType} ({Code})", method.Method, path.Split('?')[0], tenantId, e.GetType().Name, failure.Code);
                return failure;
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
