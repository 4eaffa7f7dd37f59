using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Auth;
using CippUsers.TenantEmulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CippUsers.TenantEmulator.Sherweb;

/// <summary>
/// The Sherweb partner API subset the bot uses, under /sherweb/ standing in for https://api.sherweb.com/
/// (external-apis.md §4): the OIDC client-credentials token endpoint, customers, subscriptions and their details, quantity
/// amendments with their status, and request tracking. API calls need a bearer token from that endpoint and the
/// <c>Ocp-Apim-Subscription-Key</c> header; errors are RFC 7807 problem details. Every call is journaled.
/// </summary>
internal static class SherwebEndpoints
{
    public const string Prefix = "/sherweb";
    public const string TokenPath = Prefix + "/auth/oidc/connect/token";
    public const string ApiPath = Prefix + "/service-provider/v1";

    public static void MapSherwebEndpoints(this WebApplication app, EmulatorContext context, SherwebEmulator sherweb)
    {
        // Sherweb tokens come from their own issuer (own key): Graph refuses them and Sherweb refuses Graph's.
        var tokens = new TokenIssuer(context.Time, TimeSpan.FromHours(1));
        app.MapPost(TokenPath, (HttpContext http) => TokenAsync(http, context, sherweb, tokens));

        var api = new Api(context, sherweb, tokens);
        app.MapGet(ApiPath + "/customers", (HttpContext http) => api.HandleAsync(http, null, _ => Ok(new JsonObject
        {
            ["items"] = new JsonArray([.. sherweb.CustomerList().Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["displayName"] = c.DisplayName,
                ["path"] = new JsonArray("Northbridge IT", c.DisplayName),
                ["suspendedOn"] = null,
            })]),
        })));
        app.MapGet(ApiPath + "/billing/subscriptions", (HttpContext http) => api.HandleAsync(http, RequireCustomer, q => Ok(new JsonObject { ["items"] = sherweb.Details(q.CustomerId!) })));
        app.MapGet(ApiPath + "/billing/subscriptions/details", (HttpContext http) => api.HandleAsync(http, RequireCustomer, q => Ok(new JsonObject { ["items"] = sherweb.Details(q.CustomerId!) })));
        app.MapPost(ApiPath + "/billing/subscriptions/amendments", (HttpContext http) => api.HandleAsync(http, RequireCustomer, q => Amend(sherweb, q)));
        app.MapGet(ApiPath + "/billing/subscriptions/amendments/{id}/status", (HttpContext http, string id) => api.HandleAsync(http, null, _ =>
            sherweb.StatusOf(id, byTrackingId: false) is { } status
                ? Ok(JsonValue.Create(status))
                : Problem(404, "NotFound", "Not found", $"No subscription amendment '{id}'.")));
        app.MapGet(ApiPath + "/tracking/{requestTrackingId}", (HttpContext http, string requestTrackingId) => api.HandleAsync(http, null, _ =>
            sherweb.StatusOf(requestTrackingId, byTrackingId: true) is { } status
                ? Ok(new JsonObject { ["requestTrackingId"] = requestTrackingId, ["status"] = status == "Pending" ? "Queued" : status })
                : Problem(404, "NotFound", "Not found", $"No tracked request '{requestTrackingId}'.")));

        var admin = app.MapGroup("/_emulator/sherweb");
        admin.MapGet("", () => Results.Json(AdminView(sherweb)));
        admin.MapPut("", async (HttpRequest request) =>
        {
            try
            {
                var body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject
                    ?? throw new ArgumentException("Send a JSON object.");
                var (processing, seats) = sherweb.Delays;
                foreach (var (name, value) in body)
                {
                    switch (name)
                    {
                        case "amendmentProcessingDelaySeconds": processing = TimeSpan.FromSeconds(value!.GetValue<double>()); break;
                        case "seatProvisioningDelaySeconds": seats = TimeSpan.FromSeconds(value!.GetValue<double>()); break;
                        case "loseNextAmendmentAnswers": sherweb.LoseNextAmendmentAnswers(value!.GetValue<int>()); break;
                        default: throw new ArgumentException($"Unknown Sherweb setting '{name}'.");
                    }
                }

                sherweb.SetDelays(processing, seats);
                return Results.Json(AdminView(sherweb));
            }
            catch (Exception e) when (e is ArgumentException or JsonException or FormatException or InvalidOperationException)
            {
                return Results.BadRequest(new JsonObject { ["error"] = e.Message });
            }
        });
    }

    private static string? RequireCustomer(Query query, SherwebEmulator sherweb) =>
        string.IsNullOrWhiteSpace(query.CustomerId) ? "The customerId query parameter is required."
        : !sherweb.IsCustomer(query.CustomerId) ? $"Customer '{query.CustomerId}' was not found."
        : null;

    private static Answer Amend(SherwebEmulator sherweb, Query query)
    {
        var changes = new List<(string, int)>();
        if (query.Body?["subscriptionAmendmentParameters"] is not JsonArray items)
        {
            return Problem(400, "SubscriptionsValidationError", "Subscriptions validation error", "The body must hold subscriptionAmendmentParameters.");
        }

        foreach (var item in items)
        {
            if (item?["subscriptionId"]?.GetValueKind() != JsonValueKind.String || item["newQuantity"]?.GetValueKind() != JsonValueKind.Number
                || !item["newQuantity"]!.AsValue().TryGetValue<int>(out var quantity))
            {
                return Problem(400, "SubscriptionsValidationError", "Subscriptions validation error", "Each item needs subscriptionId (uuid) and newQuantity (integer).");
            }

            changes.Add((item["subscriptionId"]!.GetValue<string>(), quantity));
        }

        var (accepted, problem, lose) = sherweb.Amend(query.CustomerId!, changes);
        return problem is not null ? Problem(problem.Status, problem.Type, problem.Title, problem.Detail)
            : lose == 0 ? Dropped
            : lose is { } status ? status == 500
                ? Problem(500, "InternalServerError", "Internal Server Error", "An unexpected error occurred.")
                : Problem(status, "GatewayTimeout", "Gateway error", "The upstream service did not answer in time.")
            : Ok(new JsonObject
            {
                ["subscriptionsAmendmentId"] = accepted![0].Id,
                ["trackingId"] = new JsonObject { ["requestTrackingId"] = accepted[0].TrackingId },
            });
    }

    private static async Task TokenAsync(HttpContext http, EmulatorContext context, SherwebEmulator sherweb, TokenIssuer tokens)
    {
        var started = context.Time.GetTimestamp();
        var status = 400;
        try
        {
            var request = http.Request;
            if (!request.HasFormContentType)
            {
                await WriteAsync(http, Json(400, new JsonObject { ["error"] = "invalid_request" }));
                return;
            }

            var form = await request.ReadFormAsync(http.RequestAborted);
            var settings = sherweb.Settings;
            JsonObject? error = null;
            if (form["grant_type"] != "client_credentials")
            {
                error = new JsonObject { ["error"] = "unsupported_grant_type" };
            }
            else if (!string.Equals(form["client_id"], settings.ClientId, StringComparison.Ordinal)
                || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(form["client_secret"].ToString()), Encoding.UTF8.GetBytes(settings.ClientSecret)))
            {
                error = new JsonObject { ["error"] = "invalid_client" };
            }
            else if (!form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("service-provider", StringComparer.Ordinal))
            {
                error = new JsonObject { ["error"] = "invalid_scope" };
            }

            if (error is not null)
            {
                await WriteAsync(http, Json(400, error));
                return;
            }

            status = 200;
            await WriteAsync(http, Json(200, new JsonObject
            {
                ["access_token"] = tokens.Issue("sherweb", settings.ClientId),
                ["expires_in"] = (long)tokens.Lifetime.TotalSeconds,
                ["token_type"] = "Bearer",
                ["scope"] = "service-provider",
            }));
        }
        finally
        {
            context.Journal.Add(new JournalEntry(context.Time.GetUtcNow(), "POST", TokenPath, null, status, context.Time.GetElapsedTime(started), false, false));
        }
    }

    private static JsonObject AdminView(SherwebEmulator sherweb)
    {
        var (processing, seats) = sherweb.Delays;
        return new JsonObject
        {
            ["amendmentProcessingDelaySeconds"] = processing.TotalSeconds,
            ["seatProvisioningDelaySeconds"] = seats.TotalSeconds,
            ["customers"] = new JsonArray([.. sherweb.CustomerTenants.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Key,
                ["tenantId"] = c.Value,
                ["subscriptions"] = JsonSerializer.SerializeToNode(sherweb.Subscriptions(c.Key), JsonOptions),
            })]),
            ["amendments"] = JsonSerializer.SerializeToNode(sherweb.Amendments, JsonOptions),
        };
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static Answer Ok(JsonNode body) => Json(200, body);

    private static Answer Json(int status, JsonNode body) => new(status, body, "application/json; charset=utf-8");

    /// <summary>RFC 7807 problem details, as the Sherweb API answers errors.</summary>
    private static Answer Problem(int status, string type, string title, string detail) => new(status, new JsonObject
    {
        ["type"] = $"https://api.sherweb.com/problems/{type}",
        ["title"] = title,
        ["status"] = status,
        ["detail"] = detail,
        ["instance"] = Guid.NewGuid().ToString(),
    }, "application/problem+json; charset=utf-8");

    private static async Task WriteAsync(HttpContext http, Answer answer)
    {
        http.Response.StatusCode = answer.Status;
        http.Response.ContentType = answer.ContentType;
        await http.Response.WriteAsync(answer.Body.ToJsonString(), http.RequestAborted);
    }

    private sealed record Answer(int Status, JsonNode Body, string ContentType);

    /// <summary>No answer at all: the connection is dropped after the request was acted on.</summary>
    private static readonly Answer Dropped = new(0, new JsonObject(), "");

    private sealed record Query(string? CustomerId, JsonNode? Body);

    /// <summary>Subscription key, bearer token, body, journal: what every API call shares.</summary>
    private sealed class Api(EmulatorContext context, SherwebEmulator sherweb, TokenIssuer tokens)
    {
        public async Task HandleAsync(HttpContext http, Func<Query, SherwebEmulator, string?>? check, Func<Query, Answer> handler)
        {
            var started = context.Time.GetTimestamp();
            var request = http.Request;
            var customerId = request.Query["customerId"].FirstOrDefault();
            var status = 0;
            IReadOnlyList<string>? bodyProperties = null;
            var journaled = false;
            try
            {
                var key = request.Headers["Ocp-Apim-Subscription-Key"].FirstOrDefault() ?? request.Query["subscription-key"].FirstOrDefault();
                if (key is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(sherweb.Settings.SubscriptionKey)))
                {
                    // Azure API Management's own answer, in front of the API.
                    var message = key is null
                        ? "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."
                        : "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.";
                    var refused = Json(401, new JsonObject { ["statusCode"] = 401, ["message"] = message });
                    status = refused.Status;
                    await WriteAsync(http, refused);
                    return;
                }

                var token = request.Headers.Authorization.FirstOrDefault() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
                if (tokens.Validate(token, out var reason) is not { TenantId: "sherweb" })
                {
                    var unauthorized = Problem(401, "Unauthorized", "Unauthorized", string.IsNullOrEmpty(reason) ? "The access token is not valid here." : reason);
                    status = unauthorized.Status;
                    await WriteAsync(http, unauthorized);
                    return;
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
                        var invalid = Problem(400, "ValidationError", "One or more validation errors occurred.", "The request body is not valid JSON.");
                        status = invalid.Status;
                        await WriteAsync(http, invalid);
                        return;
                    }
                }

                var query = new Query(customerId, body);
                var answer = check?.Invoke(query, sherweb) is { } notFound
                    ? Problem(string.IsNullOrWhiteSpace(customerId) ? 400 : 404, "CustomerNotFound", "Customer not found", notFound)
                    : handler(query);
                status = answer.Status;
                // Journaled before the caller hears anything (or its connection drops), so it can look at once.
                Journal();
                if (ReferenceEquals(answer, Dropped))
                {
                    http.Abort();
                    return;
                }

                await WriteAsync(http, answer);
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
                context.Journal.Add(new JournalEntry(context.Time.GetUtcNow(), request.Method, request.Path.Value ?? "", sherweb.TenantOf(customerId), status,
                    context.Time.GetElapsedTime(started), false, false, bodyProperties));
            }
        }
    }
}
