using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Features.AddUser;

/// Per-tenant Add User preferences (preference scope "adduser", key = tenant id): added attributes, default usage
/// location and domain, password style.
internal sealed record AddUserPreferences(IReadOnlyList<string> Attributes, string? UsageLocation, string? Domain, bool Passphrase, int PasswordLength)
{
    public const string Scope = "adduser";

    /// The 11 attributes the seed offers as "added attributes".
    public static readonly string[] KnownAttributes =
    [
        "consentProvidedForMinor", "employeeId", "employeeHireDate", "employeeLeaveDateTime", "employeeType", "faxNumber",
        "legalAgeGroupClassification", "officeLocation", "otherMails", "preferredDataLocation", "showInAddressList",
    ];

    public static async Task<AddUserPreferences> ReadAsync(PreferenceStore store, string tenantId, CancellationToken ct)
    {
        var json = await store.GetAsync(Scope, tenantId, ct);
        var attributes = json?["attributes"]?.AsArray().Select(a => a?.ToString()).OfType<string>().ToList() ?? [];
        var length = int.TryParse(json?["passwordLength"]?.ToString(), out var l) && l is >= 8 and <= 256 ? l : 14;
        return new AddUserPreferences(attributes, json?["usageLocation"]?.ToString(), json?["domain"]?.ToString(),
            string.Equals(json?["passwordStyle"]?.ToString(), "passphrase", StringComparison.OrdinalIgnoreCase), length);
    }

    public string NewPassword() => Passphrase ? Graph.PasswordGenerator.Passphrase(Math.Clamp(PasswordLength / 4, 2, 10)) : Graph.PasswordGenerator.Classic(PasswordLength);
}
