using CippUsers.Bot.Cards;

namespace CippUsers.Bot.Conversations;

/// <summary>What the bot posts: text, a card, or both.</summary>
internal sealed record OutboundMessage(string? Text, AdaptiveCard? Card)
{
    public static OutboundMessage ForText(string text) => new(text, null);

    public static OutboundMessage ForCard(AdaptiveCard card) => new(null, card);
}
