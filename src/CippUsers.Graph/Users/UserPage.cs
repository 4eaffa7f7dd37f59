namespace CippUsers.Graph;

/// <summary>One page of users.</summary>
/// <param name="Users">The users on this page.</param>
/// <param name="NextLink">Opaque link to the next page (pass back in <see cref="UserQuery.NextLink"/>), null on the last page.</param>
/// <param name="TotalCount">All matching users, when counted.</param>
public sealed record UserPage(IReadOnlyList<TenantUser> Users, string? NextLink, long? TotalCount);
