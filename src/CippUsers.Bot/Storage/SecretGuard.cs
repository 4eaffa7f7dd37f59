using System.Text.Json.Nodes;

namespace CippUsers.Bot.Storage;

/// <summary>
/// Refuses to store parameters whose names say they hold a secret (passwords, Temporary Access Passes, client secrets).
/// A last line of defence: features must never put secrets into stored parameters in the first place.
/// </summary>
public static class SecretGuard
{
    // A key names a secret when its last word is one of these ("newPassword", "tap", "clientSecret", "temporaryAccessPass"),
    // so flags such as "forceChangePasswordNextSignIn" or "passwordPolicies" stay allowed.
    private static readonly string[] SecretWords = ["password", "passwd", "pwd", "secret", "tap", "pass", "passcode", "token", "credential", "credentials"];

    public static bool IsSecretName(string name)
    {
        var last = SplitWords(name).LastOrDefault();
        return last is not null && SecretWords.Contains(last);
    }

    /// <exception cref="SecretStorageException">When any key, at any depth, names a secret.</exception>
    public static void EnsureNoSecrets(JsonNode? node, string what)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (IsSecretName(key))
                        throw new SecretStorageException($"{what} contains the key '{key}', which names a secret; secrets are never stored.");
                    EnsureNoSecrets(value, what);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                    EnsureNoSecrets(item, what);
                break;
            default:
                break;
        }
    }

    // "newTap", "tap_lifetime", "TAPCode" -> words; a lone word "tap" is a Temporary Access Pass.
    private static IEnumerable<string> SplitWords(string name)
    {
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                if (current.Length > 0) { yield return current.ToString().ToLowerInvariant(); current.Clear(); }
                continue;
            }
            var boundary = char.IsUpper(c) && current.Length > 0
                && (!char.IsUpper(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (boundary) { yield return current.ToString().ToLowerInvariant(); current.Clear(); }
            current.Append(c);
        }
        if (current.Length > 0)
            yield return current.ToString().ToLowerInvariant();
    }
}

public sealed class SecretStorageException(string message) : InvalidOperationException(message);
