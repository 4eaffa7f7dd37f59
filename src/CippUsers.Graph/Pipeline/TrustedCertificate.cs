using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CippUsers.Graph;

/// <summary>Builds the socket handler every Graph and token request goes through.</summary>
internal static class TrustedCertificate
{
    /// <summary>
    /// A handler that validates certificates normally and additionally accepts exactly the one certificate whose
    /// SHA-256 thumbprint is configured (the emulator's self-signed one). Never "accept all".
    /// </summary>
    public static SocketsHttpHandler CreateHandler(string? sha256Thumbprint)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        };
        if (!string.IsNullOrWhiteSpace(sha256Thumbprint))
        {
            var expected = Normalize(sha256Thumbprint);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None || (certificate is not null && Matches(certificate, expected)),
            };
        }
        return handler;
    }

    internal static bool Matches(X509Certificate certificate, string expectedNormalized) =>
        string.Equals(
            Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())),
            expectedNormalized,
            StringComparison.Ordinal);

    private static string Normalize(string thumbprint) =>
        thumbprint.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
}
