namespace CippUsers.Bot.Conversations;

/// <summary>Who sent the activity: the tech's Entra object id (use it for authorization and logs), display name
/// (show it, never log it) and the Teams channel user id (29:...) used to open a 1:1 chat.</summary>
public sealed record Caller(string AadObjectId, string Name, string ChannelUserId);
