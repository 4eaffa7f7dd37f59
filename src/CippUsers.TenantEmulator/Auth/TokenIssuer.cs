using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Auth;

/// <summary>Who a valid access token was issued to.</summary>
internal sealed record TokenSubject(string TenantId, string AppId, string Audience);

/// <summary>The resources whose tokens the emulator issues (the token's <c>aud</c>).</summary>
internal static class TokenAudiences
{
    public const string Graph = "https://graph.microsoft.com";

    public const string Exchange = "https://outlook.office365.com";

    /// <summary>
    /// The audience a client-credentials <c>scope</c> asks for: "{resource}/.default". No scope means Graph (the
    /// emulator's first resource); any other resource is unknown here (null).
    /// </summary>
    public static string? FromScope(string? scope)
    {
        if (string.IsNullOrWhiteSpace(scope))
        {
            return Graph;
        }

        var first = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var resource = first.EndsWith("/.default", StringComparison.OrdinalIgnoreCase) ? first[..^"/.default".Length] : first;
        foreach (var known in new[] { Graph, Exchange })
        {
            if (string.Equals(resource.TrimEnd('/'), known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return null;
    }
}

/// <summary>
/// Issues and checks access tokens. They are JWT-shaped (HS256 with a key made at start), carry the tenant id in
/// <c>tid</c>, and are only valid for the emulator instance that issued them.
/// </summary>
internal sealed class TokenIssuer(TimeProvider time, TimeSpan lifetime)
{
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);

    public TimeSpan Lifetime => lifetime;

    public string Issue(string tenantId, string appId, string audience = TokenAudiences.Graph)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var header = Base64Url(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}"""));
        var payload = Base64Url(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["aud"] = audience,
            ["iss"] = $"https://sts.windows.net/{tenantId}/",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)lifetime.TotalSeconds,
            ["appid"] = appId,
            ["tid"] = tenantId,
            ["idtyp"] = "app",
        }.ToJsonString()));
        return $"{header}.{payload}.{Sign(header, payload)}";
    }

    /// <summary>Checks signature and expiry; returns a reason when the token is refused.</summary>
    public TokenSubject? Validate(string? token, out string reason)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            reason = "Access token is empty.";
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(parts[0], parts[1])), Encoding.ASCII.GetBytes(parts[2])))
        {
            reason = "Invalid signature.";
            return null;
        }

        using var payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        var root = payload.RootElement;
        if (root.GetProperty("exp").GetInt64() <= time.GetUtcNow().ToUnixTimeSeconds())
        {
            reason = "Lifetime validation failed, the token is expired.";
            return null;
        }

        reason = "";
        return new TokenSubject(root.GetProperty("tid").GetString()!, root.GetProperty("appid").GetString()!,
            root.TryGetProperty("aud", out var aud) ? aud.GetString() ?? "" : "");
    }

    private string Sign(string header, string payload) =>
        Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{header}.{payload}")));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
