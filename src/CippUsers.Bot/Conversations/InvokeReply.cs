using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;

namespace CippUsers.Bot.Conversations;

/// <summary>The body of an adaptiveCard/action invoke response (always sent with HTTP 200; the outcome is in here).</summary>
internal sealed record InvokeReply(int StatusCode, string Type, JsonNode? Value, AdaptiveCard? Card = null)
{
    public const string CardType = AdaptiveCard.ContentType;
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";

    public static InvokeReply ForCard(AdaptiveCard card) => new(200, CardType, card.ToJson(), card);

    public static InvokeReply ForMessage(string text) => new(200, MessageType, JsonValue.Create(text));

    public static InvokeReply ForError(int statusCode, string message)
        => new(statusCode, ErrorType, new JsonObject { ["code"] = ErrorCode(statusCode), ["message"] = message });

    private static string ErrorCode(int statusCode) => statusCode switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        412 => "PreconditionFailed",
        _ => statusCode.ToString(),
    };
}
