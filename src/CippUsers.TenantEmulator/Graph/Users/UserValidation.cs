using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Graph.Users;

/// <summary>The checks Entra ID makes when a user is created or changed, with Graph's errors.</summary>
internal static partial class UserValidation
{
    /// <summary>Properties a synced user takes from on-premises AD; the cloud refuses to change them.</summary>
    public static readonly HashSet<string> OnPremisesMastered = new(StringComparer.Ordinal)
    {
        "accountEnabled", "businessPhones", "city", "companyName", "country", "department", "displayName", "employeeId", "givenName",
        "jobTitle", "mail", "mailNickname", "mobilePhone", "officeLocation", "onPremisesImmutableId", "otherMails", "postalCode", "state",
        "streetAddress", "surname", "userPrincipalName", "faxNumber", "employeeType",
    };

    public static GraphResult Invalid(string property) =>
        GraphResult.BadRequest($"Invalid value specified for property '{property}' of resource 'User'.", GraphResult.Detail("InvalidValue", property));

    public static GraphResult? CheckUserPrincipalName(TenantData tenant, string upn, DirectoryUser? self)
    {
        var at = upn.LastIndexOf('@');
        if (at <= 0 || at == upn.Length - 1 || !UpnAlias().IsMatch(upn[..at]))
        {
            return Invalid("userPrincipalName");
        }

        var domain = tenant.Domains.FirstOrDefault(d => string.Equals(d.Id, upn[(at + 1)..], StringComparison.OrdinalIgnoreCase));
        if (domain is not { IsVerified: true })
        {
            return GraphResult.BadRequest(
                "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.",
                GraphResult.Detail("InvalidValue", "userPrincipalName"));
        }

        var holder = tenant.FindUser(upn) ?? tenant.DeletedUsers.Values.FirstOrDefault(u => string.Equals(u.UserPrincipalName, upn, StringComparison.OrdinalIgnoreCase));
        if (holder is not null && holder != self)
        {
            return Conflict("userPrincipalName");
        }

        var proxy = $"smtp:{upn}";
        if (tenant.Users.Any(u => u != self && u.Data["proxyAddresses"] is JsonArray addresses && addresses.Any(a => string.Equals((string?)a, proxy, StringComparison.OrdinalIgnoreCase))))
        {
            return Conflict("proxyAddresses");
        }

        return null;
    }

    public static GraphResult Conflict(string property) =>
        GraphResult.BadRequest($"Another object with the same value for property {property} already exists.", GraphResult.Detail("ObjectConflict", property));

    public static bool IsFederated(TenantData tenant, string upn) =>
        tenant.Domains.Any(d => d.AuthenticationType == "Federated" && upn.EndsWith("@" + d.Id, StringComparison.OrdinalIgnoreCase));

    public static bool IsValidNickname(string nickname) => nickname.Length is > 0 and <= 64 && MailNickname().IsMatch(nickname) && !nickname.StartsWith('.') && !nickname.EndsWith('.');

    /// <summary>Entra's default policy: 8–256 characters and three of upper case, lower case, digits, symbols.</summary>
    public static bool IsStrongPassword(string password)
    {
        if (password.Length is < 8 or > 256)
        {
            return false;
        }

        var classes = (password.Any(char.IsUpper) ? 1 : 0) + (password.Any(char.IsLower) ? 1 : 0) + (password.Any(char.IsDigit) ? 1 : 0) + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        return classes >= 3;
    }

    public static GraphResult WeakPassword() => GraphResult.BadRequest(
        "The specified password does not comply with password complexity requirements. Please provide a different password.",
        GraphResult.Detail("InvalidValue", "passwordProfile"));

    public static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0;

    public static bool IsBool(JsonNode? node) => node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    public static bool IsUsageLocation(JsonNode? node) => IsString(node) && UsageLocation().IsMatch(node!.GetValue<string>());

    [GeneratedRegex("^[A-Za-z0-9'._!#^~-]+$")]
    private static partial Regex UpnAlias();

    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~.]+$")]
    private static partial Regex MailNickname();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex UsageLocation();
}
