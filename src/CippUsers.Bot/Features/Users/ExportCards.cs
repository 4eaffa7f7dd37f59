using System.Globalization;
using CippUsers.Bot.Cards;

namespace CippUsers.Bot.Features.Users;

/// <summary>The export's progress card, updated in place.</summary>
internal static class ExportCards
{
    public static AdaptiveCard Working(string tenantName, long exported)
    {
        var card = new AdaptiveCard { FallbackText = $"Exporting the users of {tenantName}" };
        card.Add(new TextBlock($"Exporting the users of {tenantName}…") { Weight = TextWeight.Bolder, Size = TextSize.Medium });
        card.Add(new TextBlock(exported == 0
            ? "Reading the user list from Microsoft Graph."
            : string.Create(CultureInfo.InvariantCulture, $"{exported:N0} users so far."))
        { IsSubtle = true });
        card.Add(new TextBlock("The CSV file comes to your private chat with me when it is ready.") { IsSubtle = true, Size = TextSize.Small });
        return card;
    }

    public static AdaptiveCard Done(string tenantName, long exported, string fileName, bool withSignIns)
    {
        var card = new AdaptiveCard { FallbackText = $"Exported {exported} users of {tenantName}" };
        card.Add(new TextBlock(string.Create(CultureInfo.InvariantCulture, $"Exported {exported:N0} users of {tenantName}")) { Weight = TextWeight.Bolder, Size = TextSize.Medium, Color = TextColor.Good });
        card.Add(new TextBlock($"{fileName} was sent to your private chat with me."));
        if (!withSignIns)
        {
            card.Add(new TextBlock("Last sign-in (signInActivity) is not included: the tenant needs Entra ID P1/P2 and the AuditLog.Read.All permission.") { IsSubtle = true, Size = TextSize.Small });
        }

        return card;
    }

    public static AdaptiveCard Failed(string tenantName, string reason)
    {
        var card = new AdaptiveCard { FallbackText = $"Export of {tenantName} failed" };
        card.Add(new TextBlock($"Could not export the users of {tenantName}") { Weight = TextWeight.Bolder, Size = TextSize.Medium, Color = TextColor.Attention });
        card.Add(new TextBlock(reason));
        card.Add(new TextBlock("Run the command again; if it keeps failing, tell your admin.") { IsSubtle = true, Size = TextSize.Small });
        return card;
    }
}
