namespace CippUsers.Bot.Conversations;

/// <summary>Everything needed to post into a conversation later (proactive messages). Plain data: safe to store as JSON.</summary>
public sealed record ConversationAddress(
    string ServiceUrl,
    string ConversationId,
    ConversationKind Kind,
    string TenantId,
    string? TeamId,
    string? ChannelId,
    string BotId,
    string? BotName);
