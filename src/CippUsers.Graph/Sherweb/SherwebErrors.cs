using System.Net;

namespace CippUsers.Graph.Sherweb;

/// <summary>The one place where Sherweb's answers become <see cref="GraphFailure"/>s a tech understands.</summary>
internal static class SherwebErrors
{
    public static readonly GraphFailure NotConfigured = new(GraphFailureKind.NotFound,
        "Sherweb is not set up for this tenant (no Sherweb customer id is configured for it).", null)
    { Code = "SherwebNotConfigured" };

    public static readonly GraphFailure SubscriptionGone = new(GraphFailureKind.NotFound,
        "That Sherweb subscription no longer exists for this customer. Pick another one.", null)
    { Code = "SubscriptionNotFound" };

    public static readonly GraphFailure SignInFailed = new(GraphFailureKind.Unauthorized,
        "The bot could not sign in to Sherweb. Check Sherweb:ClientId, Sherweb:ClientSecret and Sherweb:SubscriptionKey.", null)
    { Code = "SherwebSignInFailed" };

    /// <summary>An amendment sent whose answer never arrived or was an error that does not prove nothing happened
    /// (<paramref name="cause"/> says which).</summary>
    public static GraphFailure AnswerLost(GraphFailure cause) => new(GraphFailureKind.Unavailable,
        (cause.Code == "Unreachable"
            ? "Sherweb's answer to the quantity change was lost (the connection dropped or timed out)"
            : $"Sherweb answered the quantity change with an error ({cause.Message.TrimEnd('.')})")
        + ", so it may or may not have been accepted.", cause.RequestId)
    { Code = "AnswerLost" };

    public static GraphFailure FromException(Exception exception) => exception switch
    {
        HttpRequestException or IOException or TimeoutException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException =>
            new(GraphFailureKind.Unavailable, "Sherweb could not be reached. Try again in a few minutes.", null) { Code = "Unreachable" },
        System.Text.Json.JsonException or InvalidOperationException or FormatException =>
            new(GraphFailureKind.Unknown, "Sherweb answered with something the bot could not read.", null) { Code = "UnreadableAnswer" },
        _ => new(GraphFailureKind.Unknown, "Something unexpected went wrong talking to Sherweb.", null),
    };

    /// <param name="problemType">The RFC 7807 <c>type</c> (its last path segment names the error, e.g. CustomerNotFound).</param>
    /// <param name="requestId">The problem's <c>instance</c>, for a support case with Sherweb.</param>
    public static GraphFailure FromResponse(HttpStatusCode status, string? problemType, string? requestId)
    {
        var name = problemType?.TrimEnd('/').Split('/', '#', ':').LastOrDefault();
        var code = string.IsNullOrEmpty(name) ? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) : name;
        var (kind, message) = (status, name) switch
        {
            (_, "CustomerNotFound") => (GraphFailureKind.NotFound,
                "Sherweb does not know this customer. Check the tenant's Sherweb customer id (Sherweb:Customers)."),
            (_, "SkusNotFound") => (GraphFailureKind.NotFound, "Sherweb does not sell that SKU to this customer."),
            (_, "ProductQuantityCannotBeChanged" or "RestrictedProductQuantityChange") => (GraphFailureKind.BadRequest,
                "Sherweb does not allow changing the quantity of this subscription. Buy the seat in Cumulus instead."),
            (_, "CommitmentTermViolations") => (GraphFailureKind.BadRequest,
                "Sherweb refused the change: it breaks the subscription's commitment terms."),
            (_, "SubscriptionsValidationError") => (GraphFailureKind.BadRequest,
                "Sherweb refused the quantity change as invalid (the subscription may have changed). Check it in Cumulus."),
            (HttpStatusCode.Unauthorized, _) => (GraphFailureKind.Unauthorized, SignInFailed.Message),
            (HttpStatusCode.Forbidden, _) => (GraphFailureKind.Forbidden,
                "The bot's Sherweb API client is not allowed to do this. Check its permissions in Cumulus."),
            (HttpStatusCode.NotFound, _) => (GraphFailureKind.NotFound, "Sherweb did not find what the bot asked for."),
            (HttpStatusCode.TooManyRequests, _) => (GraphFailureKind.Throttled, "Sherweb is limiting requests right now. Try again in a few minutes."),
            (HttpStatusCode.InternalServerError, _) => (GraphFailureKind.Unavailable,
                "Sherweb answered with an internal error. This usually means the customer is not provisioned for Microsoft 365 in Cumulus; otherwise try again later."),
            ( >= HttpStatusCode.InternalServerError, _) => (GraphFailureKind.Unavailable, "Sherweb is temporarily unavailable. Try again in a few minutes."),
            ( >= HttpStatusCode.BadRequest, _) => (GraphFailureKind.BadRequest, "Sherweb refused the request as invalid."),
            _ => (GraphFailureKind.Unknown, "Sherweb answered unexpectedly."),
        };
        return new GraphFailure(kind, message, requestId) { Code = code };
    }
}
