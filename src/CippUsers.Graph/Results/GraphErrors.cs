using System.Net;
using Azure.Identity;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace CippUsers.Graph;

/// <summary>The one place where Graph's errors become <see cref="GraphFailure"/>s with words a tech understands.</summary>
internal static class GraphErrors
{
    public static GraphFailure FromException(Exception exception) => exception switch
    {
        ODataError e => FromResponse(e.ResponseStatusCode, e.Error?.Code, e.Error?.Message, RequestId(e)),
        ApiException e => FromResponse(e.ResponseStatusCode, null, null, null),
        CredentialUnavailableException => new(GraphFailureKind.Unauthorized,
            "No credential is available for this customer tenant. Check the Graph configuration.", null)
        { Code = "CredentialUnavailable" },
        AuthenticationFailedException => new(GraphFailureKind.Unauthorized,
            "Could not sign in to this customer tenant. Check that the partner app is consented there (GDAP) and its credential is valid.",
            null)
        { Code = "AuthenticationFailed" },
        WriteBudgetExceededException => new(GraphFailureKind.Throttled,
            "Too many changes are queued for this tenant right now. Try again in a few minutes.", null)
        { Code = "WriteBudgetExceeded" },
        HttpRequestException or IOException or TimeoutException or TaskCanceledException => new(GraphFailureKind.Unavailable,
            "Microsoft Graph could not be reached. Try again in a minute.", null)
        { Code = "Unreachable" },
        _ => new(GraphFailureKind.Unknown, "Something unexpected went wrong talking to Microsoft Graph.", null),
    };

    public static GraphFailure FromResponse(int status, string? code, string? graphMessage, string? requestId)
    {
        var kind = KindOf(status, code, graphMessage);
        return new GraphFailure(kind, Friendly(kind, status, code, graphMessage), requestId) { Code = code ?? status.ToString() };
    }

    public static GraphFailureKind KindOf(int status, string? code, string? graphMessage) => status switch
    {
        (int)HttpStatusCode.NotFound => GraphFailureKind.NotFound,
        (int)HttpStatusCode.Forbidden => GraphFailureKind.Forbidden,
        (int)HttpStatusCode.Unauthorized => GraphFailureKind.Unauthorized,
        (int)HttpStatusCode.TooManyRequests => GraphFailureKind.Throttled,
        (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed => GraphFailureKind.Conflict,
        (int)HttpStatusCode.BadRequest when IsConflict(code, graphMessage) => GraphFailureKind.Conflict,
        (int)HttpStatusCode.BadRequest when IsMissingReference(graphMessage) => GraphFailureKind.NotFound,
        >= 400 and < 500 => GraphFailureKind.BadRequest,
        >= 500 => GraphFailureKind.Unavailable,
        _ => GraphFailureKind.Unknown,
    };

    private static bool IsConflict(string? code, string? message) =>
        code is "ObjectConflict" or "Request_MultipleObjectsWithSameKeyValue" ||
        Has(message, "already exist");

    /// <summary>Graph's 400 for "the object you point at isn't there (yet)".</summary>
    internal static bool IsMissingReference(string? message) =>
        Has(message, "referenced do not exist") || Has(message, "references do not exist") || Has(message, "not a valid reference")
        || (Has(message, "does not exist") && Has(message, "reference-property"));

    private static string Friendly(GraphFailureKind kind, int status, string? code, string? m)
    {
        if (Has(m, "invalid usage location") || Has(m, "UsageLocation"))
            return "The user has no usage location, which Microsoft requires before a licence can be assigned. Set a usage location first.";
        if (Has(m, "does not have any available licenses"))
            return "There are no free licences of that kind left in this tenant. Buy more or free one up first.";
        if (Has(m, "mail-enabled security group") || Has(m, "distribution list"))
            return "This is a mail-enabled group or distribution list. Its members are managed in Exchange Online, not through Graph.";
        if (Has(m, "on-premises mastered") || Has(m, "Directory Sync"))
            return "This object is synced from on-premises Active Directory. Make the change in the local AD instead.";
        if (Has(m, "password complexity") || Has(m, "PasswordPolicy"))
            return "The password does not meet the tenant's complexity requirements.";
        if (Has(m, "added object references already exist"))
            return "The user is already a member of that group.";
        if (Has(m, "removed object references do not exist"))
            return "The user is not a member of that group.";
        if (Has(m, "userPrincipalName already exists") || (Has(m, "already exists") && Has(m, "userPrincipalName")))
            return "Another user (possibly one in the deleted items) already has that user principal name.";
        if (Has(m, "proxyAddresses") && Has(m, "already"))
            return "That email address is already used by another object in the tenant.";
        if (Has(m, "domain") && (Has(m, "not verified") || Has(m, "verified domain") || Has(m, "does not exist")))
            return "The domain of that user principal name is not a verified domain of this tenant.";
        if (code == "Request_UnsupportedQuery")
            return "Graph does not support that search or filter.";

        return kind switch
        {
            GraphFailureKind.NotFound => Has(m, "'manager'")
                ? "The user has no manager."
                : "That object was not found in this tenant. It may have been deleted, or it was created moments ago and has not replicated yet.",
            GraphFailureKind.Forbidden => "The bot's app is not allowed to do this in this tenant (missing Graph permission, GDAP role or licence).",
            GraphFailureKind.Unauthorized => "The bot could not authenticate to this tenant. Check the app's consent and credential.",
            GraphFailureKind.Throttled => "Microsoft Graph is throttling this tenant. Try again in a few minutes.",
            GraphFailureKind.Conflict => "That conflicts with something that already exists in the tenant.",
            GraphFailureKind.BadRequest => status == 501
                ? "Graph does not support that request."
                : "Graph refused the request as invalid. Check the values and try again.",
            GraphFailureKind.Unavailable => "Microsoft Graph is temporarily unavailable. Try again in a minute.",
            GraphFailureKind.Unknown or _ => "Something unexpected went wrong talking to Microsoft Graph.",
        };
    }

    private static bool Has(string? text, string part) =>
        text is not null && text.Contains(part, StringComparison.OrdinalIgnoreCase);

    private static string? RequestId(ODataError e)
    {
        if (e.Error?.InnerError?.RequestId is { Length: > 0 } id)
            return id;
        if (e.Error?.InnerError?.AdditionalData.TryGetValue("request-id", out var raw) == true && raw is not null)
            return raw.ToString();
        if (e.ResponseHeaders.TryGetValue("request-id", out var values))
            return values.FirstOrDefault();
        return null;
    }
}

/// <summary>Thrown inside the pipeline when a tenant's local write queue is full.</summary>
internal sealed class WriteBudgetExceededException(string message) : Exception(message);
