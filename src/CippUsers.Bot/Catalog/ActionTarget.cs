namespace CippUsers.Bot.Catalog;

/// A user an operation acts on, as resolved when the operation was requested.
internal sealed record ActionTarget(string UserId, string DisplayName, string UserPrincipalName);
