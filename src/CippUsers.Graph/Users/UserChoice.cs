namespace CippUsers.Graph;

/// <summary>A user as a card's choice list shows it (id, display name, UPN only).</summary>
public sealed record UserChoice(string Id, string DisplayName, string UserPrincipalName);

/// <summary>Users for a choice list, and how many users matched in all (when Graph counted them).</summary>
public sealed record UserChoicePage(IReadOnlyList<UserChoice> Users, long? TotalCount);
