using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Teams;

namespace CippUsers.Bot.Features.Help;

internal sealed class HelpFeature : IFeature
{
    public void Map(BotRoutes routes)
    {
        routes.Command("help", "Show every command with an example.", "help", (turn, _, ct) => ShowAsync(routes, turn, ct), "?", "commands");
        routes.Verb(CardVerbs.HelpShow, (turn, _, ct) => ShowAsync(routes, turn, ct));
    }

    private static async Task ShowAsync(BotRoutes routes, BotTurn turn, CancellationToken ct)
    {
        var card = HelpCards.Help(routes.Commands);
        if (turn.IsInvoke)
        {
            // The button's card stays for everyone; the clicker sees the help card in its place.
            turn.RespondWithCard(card);
            return;
        }

        await turn.SendCardAsync(card, ct);
    }
}
