using System.Text.RegularExpressions;

namespace CippUsers.Graph;

/// <summary>
/// The checks a new user's values must pass before Graph is called, shared by Add User and bulk add: Graph's field
/// lengths, the characters a username (mailNickname / UPN prefix) may hold, e-mail and usage-location shapes.
/// Messages are card-safe.
/// </summary>
public static partial class NewUserValidation
{
    /// <summary>Graph's maximum lengths for the user properties the bot writes, by Graph property name.</summary>
    public static IReadOnlyDictionary<string, int> MaxLengths { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["displayName"] = 256,
        ["givenName"] = 64,
        ["surname"] = 64,
        ["mailNickname"] = 64,
        ["jobTitle"] = 128,
        ["department"] = 64,
        ["companyName"] = 64,
        ["officeLocation"] = 128,
        ["streetAddress"] = 1024,
        ["city"] = 128,
        ["state"] = 128,
        ["postalCode"] = 40,
        ["country"] = 128,
        ["mobilePhone"] = 64,
        ["businessPhones"] = 64,
        ["employeeId"] = 16,
        ["mail"] = 256,
    };

    /// <summary>Longest user principal name Graph accepts (64 before the @, 48 for the domain part plus the @).</summary>
    public const int MaxUserPrincipalName = 113;

    /// <summary>Null when <paramref name="username"/> is a valid mailNickname / UPN prefix, else why not.</summary>
    public static string? CheckUsername(string? username)
    {
        if (string.IsNullOrWhiteSpace(username))
            return "Username is required.";
        if (username.Length > 64 || !Nickname().IsMatch(username) || username.StartsWith('.') || username.EndsWith('.'))
            return "Username may hold only letters, digits and ' . - _ ! # ^ ~ (at most 64, not starting or ending with a dot).";
        return null;
    }

    /// <summary>Whether <paramref name="alias"/> (the part before any @) has only characters a mailNickname may hold.</summary>
    public static bool IsValidAlias(string alias) => Nickname().IsMatch(alias);

    /// <summary>Whether <paramref name="address"/> looks like an e-mail address.</summary>
    public static bool IsEmail(string? address) => address is not null && address.Length <= 256 && Email().IsMatch(address);

    /// <summary>Whether <paramref name="code"/> is a two-letter country code (usage location).</summary>
    public static bool IsUsageLocation(string? code) => code is not null && UsageLocationPattern().IsMatch(code);

    /// <summary>Null when <paramref name="value"/> fits Graph's limit for <paramref name="property"/>, else a message naming <paramref name="label"/>.</summary>
    public static string? CheckLength(string property, string? value, string label) =>
        value is not null && MaxLengths.TryGetValue(property, out var max) && value.Length > max
            ? $"{label} can be at most {max} characters."
            : null;

    [GeneratedRegex(@"^[A-Za-z0-9'.\-_!#^~]+$")]
    private static partial Regex Nickname();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();

    [GeneratedRegex("^[A-Za-z]{2}$")]
    private static partial Regex UsageLocationPattern();
}
