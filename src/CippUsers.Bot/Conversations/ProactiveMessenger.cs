using CippUsers.Bot.Cards;
using CippUsers.Bot.Teams;

namespace CippUsers.Bot.Conversations;

/// <summary>Posts outside a turn: to a stored conversation (helpdesk channel, approver chat) or a new 1:1 chat.</summary>
public sealed class ProactiveMessenger
{
    private readonly TeamsConnector _connector;

    internal ProactiveMessenger(TeamsConnector connector) => _connector = connector;

    public Task<string> SendCardAsync(ConversationAddress to, AdaptiveCard card, CancellationToken ct)
        => _connector.SendAsync(to, OutboundMessage.ForCard(card), ct);

    public Task<string> SendTextAsync(ConversationAddress to, string text, CancellationToken ct)
        => _connector.SendAsync(to, OutboundMessage.ForText(text), ct);

    /// <summary>Posts a non-card attachment (Teams file consent and file info cards).</summary>
    internal Task<string> SendAttachmentAsync(ConversationAddress to, OutboundAttachment attachment, CancellationToken ct)
        => _connector.SendAsync(to, OutboundMessage.ForAttachment(attachment), ct);

    public Task UpdateCardAsync(ConversationAddress to, string activityId, AdaptiveCard card, CancellationToken ct)
        => _connector.UpdateAsync(to, activityId, card, ct);

    /// <summary>Opens (or reuses) the 1:1 chat between the bot and <paramref name="user"/>, in the tenant of
    /// <paramref name="from"/>. Send secrets only there.</summary>
    public Task<ConversationAddress> GetOrCreatePersonalChatAsync(ConversationAddress from, Caller user, CancellationToken ct)
        => _connector.CreatePersonalChatAsync(from, user, ct);
}
