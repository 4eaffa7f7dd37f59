using System.Net;
using System.Text.RegularExpressions;

namespace CippUsers.Bot.Teams;

/// <summary>Turns what Teams delivers ("&lt;at&gt;CippUsers&lt;/at&gt; reset   password") into a routable command line.</summary>
internal static partial class MentionText
{
    public static string Strip(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var withoutMentions = MentionPattern().Replace(text, " ");
        var decoded = WebUtility.HtmlDecode(withoutMentions).Replace('\u00A0', ' ');
        return BotRoutes.Normalize(decoded);
    }

    [GeneratedRegex(@"<at\b[^>]*>.*?</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline, matchTimeoutMilliseconds: 200)]
    private static partial Regex MentionPattern();
}
