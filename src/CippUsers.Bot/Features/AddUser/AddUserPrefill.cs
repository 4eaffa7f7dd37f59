namespace CippUsers.Bot.Features.AddUser;

/// The seed's Add User query-string keys (seed-users-page.md "Add User Query String Support"), with the seed's spellings,
/// matched case-insensitively, values URL-decoded, "%0A" separating aliases. Used by `add user … key=value` and GET /users/add.
internal static class AddUserPrefill
{
    public const string CustomerId = "customerId";

    /// Seed key → form field. customerId selects the tenant.
    public static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [CustomerId] = CustomerId,
        ["businessPhones"] = AddUserForm.BusinessPhone,
        ["city"] = AddUserForm.City,
        ["companyName"] = AddUserForm.CompanyName,
        ["country"] = AddUserForm.Country,
        ["department"] = AddUserForm.Department,
        ["displayName"] = AddUserForm.DisplayName,
        ["givenName"] = AddUserForm.GivenName,
        ["jobTitle"] = AddUserForm.JobTitle,
        ["mailNickname"] = AddUserForm.Username,
        ["mobilePhone"] = AddUserForm.MobilePhone,
        ["addedAliasses"] = AddUserForm.Aliases,
        ["postalCode"] = AddUserForm.PostalCode,
        ["streetAddress"] = AddUserForm.StreetAddress,
        ["surname"] = AddUserForm.Surname,
        ["usageLocation"] = AddUserForm.UsageLocation,
        ["primDomain"] = AddUserForm.Domain,
        ["MustChangePass"] = AddUserForm.MustChangePass,
    };

    /// The result of reading prefill pairs: the tenant text (customerId or a bare first word), form values, unknown keys.
    public sealed record Parsed(string? Tenant, IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> UnknownKeys);

    /// Reads chat arguments: "[tenant] key=value key=value…"; values may be URL-encoded or "quoted".
    public static Parsed FromArguments(string arguments)
    {
        string? tenant = null;
        var pairs = new List<(string, string)>();
        foreach (var token in Tokenize(arguments))
        {
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                tenant ??= token;
                continue;
            }
            pairs.Add((token[..eq], Uri.UnescapeDataString(token[(eq + 1)..])));
        }
        var parsed = FromPairs(pairs);
        return parsed with { Tenant = parsed.Tenant ?? tenant };
    }

    /// Reads already-decoded pairs (an HTTP query string or chat tokens).
    public static Parsed FromPairs(IEnumerable<(string Key, string Value)> pairs)
    {
        string? tenant = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var (key, value) in pairs)
        {
            if (!Keys.TryGetValue(key, out var field))
            {
                unknown.Add(key);
                continue;
            }
            if (field == CustomerId)
                tenant = value.Trim();
            else if (field == AddUserForm.MustChangePass)
                values[field] = value.Trim().ToUpperInvariant() is "TRUE" or "1" or "YES" or "ON" ? "true" : "false";
            else if (field == AddUserForm.Aliases)
                values[field] = string.Join('\n', value.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            else
                values[field] = value.Trim();
        }
        return new Parsed(tenant, values, unknown);
    }

    /// The chat command that reproduces a prefill: "add user key=value…" with values URL-encoded.
    public static string ToCommand(IEnumerable<(string Key, string Value)> pairs) =>
        "add user " + string.Join(' ', pairs.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

    private static IEnumerable<string> Tokenize(string text)
    {
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                continue;
            }
            if (char.IsWhiteSpace(c) && !quoted)
            {
                if (current.Length > 0)
                    yield return current.ToString();
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0)
            yield return current.ToString();
    }
}
