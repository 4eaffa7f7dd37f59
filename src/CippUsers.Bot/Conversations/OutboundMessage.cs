using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;

namespace CippUsers.Bot.Conversations;

/// <summary>What the bot posts: text, a card, or both; or one non-card attachment (Teams file consent / file info).</summary>
internal sealed record OutboundMessage(string? Text, AdaptiveCard? Card, OutboundAttachment? Attachment = null)
{
    public static OutboundMessage ForText(string text) => new(text, null);

    public static OutboundMessage ForCard(AdaptiveCard card) => new(null, card);

    public static OutboundMessage ForAttachment(OutboundAttachment attachment) => new(null, null, attachment);
}

/// <summary>A raw attachment (e.g. application/vnd.microsoft.teams.card.file.consent): plain data, mapped to Bot
/// Framework types only in Teams/.</summary>
internal sealed record OutboundAttachment(string ContentType, string? Name, string? ContentUrl, JsonObject? Content);
