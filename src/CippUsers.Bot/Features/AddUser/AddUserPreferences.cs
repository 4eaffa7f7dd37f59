using System.Text.Json.Nodes;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Features.AddUser;

/// Per-tenant Add User preferences (preference scope "adduser", key = tenant id): added attributes, default usage
/// location and domain, password style.
internal sealed record AddUserPreferences(IReadOnlyList<string> Attributes, string? UsageLocation, string? Domain, bool Passphrase, int PasswordLength)
{
    public const string Scope = "adduser";
    public const int MinLength = 8;
    public const int MaxLength = 256;
    public const int DefaultLength = 14;

    /// The 11 attributes the seed offers as "added attributes".
    public static readonly string[] KnownAttributes =
    [
        "consentProvidedForMinor", "employeeId", "employeeHireDate", "employeeLeaveDateTime", "employeeType", "faxNumber",
        "legalAgeGroupClassification", "officeLocation", "otherMails", "preferredDataLocation", "showInAddressList",
    ];

    public static readonly AddUserPreferences Default = new([], null, null, false, DefaultLength);

    public static async Task<AddUserPreferences> ReadAsync(PreferenceStore store, string tenantId, CancellationToken ct) =>
        FromJson(await store.GetAsync(Scope, tenantId, ct));

    public static AddUserPreferences FromJson(JsonObject? json)
    {
        var attributes = json?["attributes"] is JsonArray list
            ? list.Select(a => a?.ToString()).OfType<string>().Where(a => KnownAttributes.Contains(a, StringComparer.Ordinal)).ToList()
            : [];
        var length = int.TryParse(json?["passwordLength"]?.ToString(), out var l) && l is >= MinLength and <= MaxLength ? l : DefaultLength;
        return new AddUserPreferences(attributes, Text(json?["usageLocation"]), Text(json?["domain"]),
            string.Equals(json?["passwordStyle"]?.ToString(), "passphrase", StringComparison.OrdinalIgnoreCase), length);

        static string? Text(JsonNode? node) => node?.ToString() is { Length: > 0 } s ? s : null;
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["attributes"] = new JsonArray([.. Attributes.Select(a => (JsonNode)JsonValue.Create(a))]),
            ["passwordStyle"] = Passphrase ? "passphrase" : "random",
            ["passwordLength"] = PasswordLength,
        };
        if (UsageLocation is not null)
            json["usageLocation"] = UsageLocation;
        if (Domain is not null)
            json["domain"] = Domain;
        return json;
    }

    public Task SaveAsync(PreferenceStore store, string tenantId, CancellationToken ct) => store.SetAsync(Scope, tenantId, ToJson(), ct);

    /// A passphrase gets one word per four characters of the length (at least 2, at most 10 words).
    public string NewPassword() => Passphrase ? Graph.PasswordGenerator.Passphrase(Math.Clamp(PasswordLength / 4, 2, 10)) : Graph.PasswordGenerator.Classic(PasswordLength);
}
