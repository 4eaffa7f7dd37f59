using System.Net;
using CippUsers.Bot.Hosting;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Files;

/// <summary>Where the bot may fetch or put file bytes: https SharePoint/OneDrive hosts, and loopback in demo mode only.
/// Teams hands the bot these URLs inside activities, so they are checked like any other untrusted input.</summary>
internal sealed class FileHosts(IOptions<FilesOptions> options, IOptions<BotAuthenticationOptions> auth)
{
    public bool IsAllowed(string? url, out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            return false;
        }

        if (IsLoopback(parsed))
        {
            uri = parsed;
            return auth.Value.IsDemo && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps);
        }

        var host = parsed.IdnHost.TrimEnd('.');
        var allowed = parsed.Scheme == Uri.UriSchemeHttps
            && parsed.IsDefaultPort
            && options.Value.AllowedHosts.Any(h => Matches(host, h.Trim().TrimStart('*').TrimStart('.')));
        uri = allowed ? parsed : null;
        return allowed;
    }

    private static bool Matches(string host, string allowed)
        => allowed.Length > 0
            && (host.Equals(allowed, StringComparison.OrdinalIgnoreCase)
                || host.EndsWith("." + allowed, StringComparison.OrdinalIgnoreCase));

    private static bool IsLoopback(Uri uri)
        => uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));
}
