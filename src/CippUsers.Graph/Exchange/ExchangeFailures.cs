using System.Net;
using System.Text.Json.Nodes;
using Azure.Identity;

namespace CippUsers.Graph.Exchange;

/// <summary>The one place where Exchange Online's answers become <see cref="GraphFailure"/>s with words a tech understands.</summary>
internal static class ExchangeFailures
{
    /// <summary><see cref="GraphFailure.Code"/> when the user has no mailbox (Exchange answered "object not found").</summary>
    public const string NoMailboxCode = "NoMailbox";

    /// <summary><see cref="GraphFailure.Code"/> when the app may not use Exchange in the tenant (403).</summary>
    public const string ForbiddenCode = "ExchangeForbidden";

    /// <summary><see cref="GraphFailure.Code"/> when a recipient named by a parameter is unknown (Ex94914C).</summary>
    public const string RecipientNotFoundCode = "RecipientNotFound";

    public static readonly GraphFailure NoMailbox = new(GraphFailureKind.NotFound, "That user has no mailbox in Exchange Online.", null) { Code = NoMailboxCode };

    /// <summary>
    /// Maps a failed answer. <paramref name="body"/> may be anything: Exchange's JSON envelope, plain text (a 429) or
    /// bytes that are not text at all (the 403 of a missing role).
    /// </summary>
    public static GraphFailure FromResponse(HttpStatusCode status, string body, string? requestId)
    {
        var code = (int)status;
        var (exceptionType, _) = Describe(body);
        var kind = GraphErrors.KindOf(code, null, null);
        // Ex94914C is a recipient a parameter names (a forwarding target, a group member) that Exchange does not know
        // (yet: new mailboxes take a while to replicate); Ex6F9304 is the Identity itself.
        var recipient = body.Contains("Ex94914C|", StringComparison.Ordinal);
        var message = kind switch
        {
            GraphFailureKind.NotFound when recipient => "Exchange Online does not know that recipient (yet). A new mailbox can take a while to appear.",
            GraphFailureKind.NotFound when exceptionType?.EndsWith("ManagementObjectNotFoundException", StringComparison.Ordinal) == true => NoMailbox.Message,
            GraphFailureKind.NotFound => "Exchange Online could not find that object in this tenant.",
            GraphFailureKind.Forbidden =>
                "The bot's app may not use Exchange Online in this tenant: it needs the Exchange.ManageAsApp permission and an Exchange admin role (Exchange Administrator).",
            GraphFailureKind.Unauthorized => "The bot could not authenticate to Exchange Online in this tenant. Check the app's consent and credential.",
            GraphFailureKind.Throttled => "Exchange Online is throttling this tenant. Try again in a few minutes.",
            GraphFailureKind.Conflict => "That conflicts with something that already exists in Exchange Online.",
            GraphFailureKind.BadRequest => "Exchange Online refused the command as invalid. Check the values and try again.",
            GraphFailureKind.Unavailable => "Exchange Online is temporarily unavailable. Try again in a minute.",
            _ => "Something unexpected went wrong talking to Exchange Online.",
        };
        var failureCode = kind switch
        {
            GraphFailureKind.NotFound when recipient => RecipientNotFoundCode,
            GraphFailureKind.NotFound when message == NoMailbox.Message => NoMailboxCode,
            GraphFailureKind.Forbidden => ForbiddenCode,
            _ => exceptionType ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new GraphFailure(kind, message, requestId) { Code = failureCode };
    }

    public static GraphFailure FromException(Exception exception) => exception switch
    {
        // Graph may work while the Exchange token is refused: the app's Exchange permission is not consented in the tenant.
        AuthenticationFailedException => new(GraphFailureKind.Unauthorized,
            "Could not get an Exchange Online token for this tenant. Check that the app's Exchange.ManageAsApp permission is consented there and its credential is valid.",
            null)
        { Code = "ExchangeSignInFailed" },
        CredentialUnavailableException or WriteBudgetExceededException => GraphErrors.FromException(exception),
        HttpRequestException or IOException or TimeoutException or TaskCanceledException => new(GraphFailureKind.Unavailable,
            "Exchange Online could not be reached. Try again in a minute.", null)
        { Code = "Unreachable" },
        _ => new(GraphFailureKind.Unknown, "Something unexpected went wrong talking to Exchange Online.", null),
    };

    /// <summary>
    /// The .NET exception type and text Exchange reports: from <c>error.details[].message</c>
    /// ("ExCode|Type|Text"), else <c>error.innererror.internalexception</c>, else <c>error.message</c>. Nulls for a body
    /// that is not Exchange's JSON envelope.
    /// </summary>
    public static (string? ExceptionType, string? Text) Describe(string body)
    {
        if (ExchangeJson.TryParse(body) is not JsonObject { } root || root["error"] is not JsonObject error)
            return (null, null);
        if (error["details"] is JsonArray details)
        {
            foreach (var detail in details.OfType<JsonObject>())
            {
                if ((string?)detail["message"] is { Length: > 0 } message && message.Split('|', 3) is [_, var type, var text])
                    return (ShortName(type), text);
            }
        }
        if (error["innererror"]?["internalexception"] is JsonObject inner && (string?)inner["message"] is { Length: > 0 } innerText)
            return (ShortName((string?)inner["type"]), innerText);
        return (null, (string?)error["message"]);
    }

    private static string? ShortName(string? type) =>
        string.IsNullOrWhiteSpace(type) ? null : type[(type.LastIndexOf('.') + 1)..];
}
