namespace CippUsers.Graph;

/// <summary>A direct member of a group.</summary>
/// <param name="Type">"user", "group", "device", … (from @odata.type).</param>
public sealed record GroupMember(string Id, string DisplayName, string? UserPrincipalName, string Type);
