using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Teams;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Tenants;

internal sealed class TenantsFeature(CustomerTenants tenants) : IFeature
{
    public void Map(BotRoutes routes)
    {
        routes.Command("tenants", "List the customer tenants I manage.", "tenants", ShowAsync);
        routes.Verb(CardVerbs.TenantsShow, (turn, _, ct) => ShowAsync(turn, string.Empty, ct));
    }

    private async Task ShowAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        var card = TenantsCards.List(tenants.All);
        if (turn.IsInvoke)
        {
            turn.RespondWithCard(card);
            return;
        }

        await turn.SendCardAsync(card, ct);
    }
}
