using System.Security.Cryptography;

namespace CippUsers.Graph;

/// <summary>
/// Generates passwords the way CIPP does (cipp-behaviour.md §1.4): classic (cryptographic RNG, no ambiguous glyphs,
/// every class at least once) or a passphrase. Also checks typed passwords against Entra's complexity rule.
/// </summary>
public static class PasswordGenerator
{
    private const string Upper = "ABCDEFGHKLMNPRSTUVWXYZ";
    private const string Lower = "abcdefghkmnrstuvwxyz";
    private const string Digits = "23456789";
    private const string Special = "$%&*#";

    private static readonly string[] Words =
    [
        "apple", "river", "stone", "cloud", "maple", "tiger", "ocean", "piano", "candle", "forest", "silver", "rocket",
        "garden", "harbor", "meadow", "falcon", "lemon", "castle", "summit", "breeze", "copper", "violet", "anchor", "thunder",
        "willow", "marble", "comet", "pepper", "canyon", "lantern", "orbit", "saddle", "timber", "walnut", "yellow", "zephyr",
    ];

    /// <summary>A classic password of <paramref name="length"/> (8–256) characters with all four classes.</summary>
    public static string Classic(int length = 14)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 256);
        const string pool = Upper + Lower + Digits + Special;
        while (true)
        {
            var chars = new char[length];
            for (var i = 0; i < length; i++)
                chars[i] = pool[RandomNumberGenerator.GetInt32(pool.Length)];
            var candidate = new string(chars);
            if (candidate.Any(Upper.Contains) && candidate.Any(Lower.Contains) && candidate.Any(Digits.Contains) && candidate.Any(Special.Contains))
                return candidate;
        }
    }

    /// <summary>A passphrase of <paramref name="words"/> (2–10) capitalised words joined by '-', with a 2-digit number.</summary>
    public static string Passphrase(int words = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(words, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(words, 10);
        var chosen = Words.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).Take(words)
            .Select(w => char.ToUpperInvariant(w[0]) + w[1..]).ToArray();
        chosen[RandomNumberGenerator.GetInt32(words)] += RandomNumberGenerator.GetInt32(10, 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join('-', chosen);
    }

    /// <summary>
    /// Entra's rule for cloud passwords: 8–256 characters and at least three of upper, lower, digit, symbol.
    /// Returns null when acceptable, else the reason (never containing the password).
    /// </summary>
    public static string? CheckComplexity(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length is < 8 or > 256)
            return "The password must be 8 to 256 characters long.";
        var classes = (password.Any(char.IsUpper) ? 1 : 0) + (password.Any(char.IsLower) ? 1 : 0)
            + (password.Any(char.IsDigit) ? 1 : 0) + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        return classes < 3 ? "The password needs three of: upper case, lower case, digits, symbols." : null;
    }
}
