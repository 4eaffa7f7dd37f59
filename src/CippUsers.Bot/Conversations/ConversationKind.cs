namespace CippUsers.Bot.Conversations;

public enum ConversationKind { Personal, GroupChat, Channel }
