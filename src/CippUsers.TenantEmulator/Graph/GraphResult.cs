using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Graph;

/// <summary>A Graph answer before it is written to HTTP or into a $batch response.</summary>
internal sealed class GraphResult(int status, JsonNode? body = null, string? text = null)
{
    public int Status { get; } = status;

    public JsonNode? Body { get; } = body;

    /// <summary>A text/plain body (the $count answers).</summary>
    public string? Text { get; } = text;

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Throttled { get; init; }

    public static GraphResult Ok(JsonNode body) => new(200, body);

    public static GraphResult Created(JsonNode body) => new(201, body);

    public static GraphResult NoContent() => new(204);

    public static GraphResult PlainText(string text) => new(200, text: text);

    /// <summary>Graph's error envelope; the request id and date are filled in when the answer leaves.</summary>
    public static GraphResult Error(int status, string code, string message, JsonArray? details = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (details is not null)
        {
            error["details"] = details;
        }

        return new GraphResult(status, new JsonObject { ["error"] = error });
    }

    public static GraphResult NotFound(string resource) =>
        Error(404, "Request_ResourceNotFound", $"Resource '{resource}' does not exist or one of its queried reference-property objects are not present.");

    public static GraphResult BadRequest(string message, JsonArray? details = null) => Error(400, "Request_BadRequest", message, details);

    public static GraphResult UnsupportedQuery(string message) => Error(400, "Request_UnsupportedQuery", message);

    public static JsonArray Detail(string code, string target) => [new JsonObject { ["code"] = code, ["target"] = target }];
}
