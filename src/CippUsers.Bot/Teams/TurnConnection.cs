using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;
using Microsoft.Bot.Builder;

namespace CippUsers.Bot.Teams;

/// <summary>The Bot Builder side of a <see cref="BotTurn"/>: sends go through the connector's throttle and retry.</summary>
internal sealed class TurnConnection(ITurnContext context, TeamsConnector connector)
{
    public Task<string> SendCardAsync(AdaptiveCard card, CancellationToken ct) => connector.SendAsync(context, OutboundMessage.ForCard(card), ct);

    public Task<string> SendTextAsync(string text, CancellationToken ct) => connector.SendAsync(context, OutboundMessage.ForText(text), ct);

    public Task UpdateCardAsync(string activityId, AdaptiveCard card, CancellationToken ct) => connector.UpdateAsync(context, activityId, card, ct);
}
