namespace CippUsers.Bot.Conversations;

public sealed record ConversationAddress(string ServiceUrl, string ConversationId, ConversationKind Kind, string TenantId, string? TeamId, string? ChannelId, string BotId, string? BotName);

public enum ConversationKind { Personal, GroupChat, Channel }
