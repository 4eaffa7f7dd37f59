using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Exchange;

/// <summary>An InvokeCommand answer that is not a success: status, and a JSON envelope or a raw body.</summary>
internal sealed class ExchangeError(int status, JsonObject? body, byte[]? raw = null)
{
    public int Status { get; } = status;

    public JsonObject? Body { get; } = body;

    /// <summary>A non-JSON body (the 403 of a missing role is a run of NUL bytes; a 429 may be plain text).</summary>
    public byte[]? Raw { get; } = raw;

    public string? RawContentType { get; init; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Throttled { get; init; }
}

/// <summary>Exchange Online's error envelopes (external-apis.md §1.5).</summary>
internal static class ExchangeErrors
{
    private const string Server = "XXPR01A001DC001.PROD.OUTLOOK.COM";

    /// <summary>404: the Identity names no mailbox (or a recipient that has none).</summary>
    public static ExchangeError NotFound(string identity) => Envelope(404, "NotFound", "Error executing cmdlet",
        $"Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object '{identity}' couldn't be found on '{Server}'.",
        "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
        $"The operation couldn't be performed because object '{identity}' couldn't be found on '{Server}'.");

    /// <summary>A recipient a parameter points at is not there (Ex94914C).</summary>
    public static ExchangeError RecipientNotFound(string recipient) => Envelope(404, "NotFound", "Error executing cmdlet",
        $"Ex94914C|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|Couldn't find object \"{recipient}\". Please make sure that it was spelled correctly or specify a different object.",
        "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
        $"Couldn't find object \"{recipient}\". Please make sure that it was spelled correctly or specify a different object.");

    public static ExchangeError UnknownCmdlet(string name) => InvalidOperation("System.Management.Automation.CommandNotFoundException",
        $"The term '{name}' is not recognized as a name of a cmdlet, function, script file, or executable program.");

    public static ExchangeError UnknownParameter(string cmdlet, string parameter) => InvalidOperation("Microsoft.Exchange.AdminApi.CommandInvocation.AmbiguousParameterSetException",
        $"A parameter cannot be found that matches parameter name '{parameter}' of cmdlet '{cmdlet}'.");

    public static ExchangeError MissingParameter(string parameter) => InvalidOperation("System.Management.Automation.ParameterBindingException",
        $"Cannot process command because of one or more missing mandatory parameters: {parameter}.");

    public static ExchangeError BadEnum(string parameter, string value, string enumType, IEnumerable<string> valid) => InvalidOperation(
        "System.Management.Automation.ParameterBindingArgumentTransformationException",
        $"Cannot process argument transformation on parameter '{parameter}'. Cannot convert value \"{value}\" to type \"{enumType}\". Error: \"Unable to match the identifier name {value} to a valid enumerator name. Specify one of the following enumerator names and try again: {string.Join(", ", valid)}\"");

    public static ExchangeError BadValue(string parameter, string value, string type) => InvalidOperation(
        "System.Management.Automation.ParameterBindingArgumentTransformationException",
        $"Cannot process argument transformation on parameter '{parameter}'. Cannot convert value \"{value}\" to type \"{type}\".");

    public static ExchangeError Invalid(string text) => InvalidOperation("Microsoft.Exchange.Data.DataValidationException", text);

    /// <summary>400 "Invalid Operation" (always that literal) with the reason in details and the inner exception.</summary>
    public static ExchangeError InvalidOperation(string exceptionType, string text) =>
        Envelope(400, "BadRequest", "Invalid Operation", $"|{exceptionType}|{text}", "Microsoft.Exchange.AdminApi.CommandInvocation.ParameterTransformationException", text);

    public static ExchangeError BadBody(string text) => new(400, new JsonObject
    {
        ["error"] = new JsonObject { ["code"] = "BadRequest", ["message"] = text },
    });

    public static ExchangeError Unauthorized(string reason)
    {
        var error = new ExchangeError(401, new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = "Unauthorized", ["message"] = reason },
        });
        error.Headers["WWW-Authenticate"] = "Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\", token_types=\"app_asserted_user_v1 service_asserted_app_v1\", error=\"invalid_token\"";
        return error;
    }

    public static ExchangeError UnknownTenant(string tenant) => new(404, new JsonObject
    {
        ["error"] = new JsonObject { ["code"] = "NotFound", ["message"] = $"The tenant '{tenant}' could not be found." },
    });

    /// <summary>403 of an app without Exchange.ManageAsApp or an Exchange admin role: not JSON at all.</summary>
    public static ExchangeError Forbidden() => new(403, null, new byte[64]) { RawContentType = "application/octet-stream" };

    /// <summary>The per-tenant concurrency 429 Exchange answers in plain text.</summary>
    public static ExchangeError Concurrency()
    {
        var error = new ExchangeError(429, null, "You have reached the maximum number of concurrent requests per tenant. Please wait and try again."u8.ToArray())
        {
            RawContentType = "text/plain; charset=utf-8",
            Throttled = true,
        };
        error.Headers["Retry-After"] = "1";
        return error;
    }

    public static ExchangeError Throttled(TimeSpan retryAfter)
    {
        var error = new ExchangeError(429, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = "TooManyRequests",
                ["message"] = "The request was throttled. Wait and try again.",
            },
        })
        { Throttled = true };
        error.Headers["Retry-After"] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return error;
    }

    public static ExchangeError Unavailable(int status)
    {
        var error = new ExchangeError(status, new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = status == 503 ? "ServiceUnavailable" : "GatewayTimeout", ["message"] = "The service is temporarily unavailable. Try again later." },
        });
        if (status == 503)
        {
            error.Headers["Retry-After"] = "1";
        }

        return error;
    }

    private static ExchangeError Envelope(int status, string code, string message, string detail, string internalType, string internalMessage) => new(status, new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["details"] = new JsonArray(new JsonObject { ["code"] = "Client", ["target"] = "", ["message"] = detail }),
            ["innererror"] = new JsonObject
            {
                ["message"] = message,
                ["type"] = "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                ["stacktrace"] = "",
                ["internalexception"] = new JsonObject
                {
                    ["message"] = internalMessage,
                    ["type"] = internalType,
                    ["stacktrace"] = "",
                },
            },
            ["adminapi.warnings@odata.type"] = "#Collection(String)",
            ["@adminapi.warnings"] = new JsonArray(),
        },
    });
}
