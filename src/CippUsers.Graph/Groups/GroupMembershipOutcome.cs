namespace CippUsers.Graph;

/// <summary>What happened to one group in a membership change.</summary>
public enum GroupChangeStatus
{
    Added,
    Removed,
    AlreadyMember,
    Skipped,
    Failed,
}

/// <summary>One group's line in a membership report.</summary>
/// <param name="Reason">Why it was skipped or failed, in words for a tech.</param>
public sealed record GroupMembershipOutcome(TenantGroup Group, GroupChangeStatus Status, string? Reason);

/// <summary>The result of copying group memberships from one user to another, group by group.</summary>
public sealed record GroupCopyReport(IReadOnlyList<GroupMembershipOutcome> Groups)
{
    public IEnumerable<GroupMembershipOutcome> Added => Groups.Where(g => g.Status == GroupChangeStatus.Added);
    public IEnumerable<GroupMembershipOutcome> Skipped => Groups.Where(g => g.Status is GroupChangeStatus.Skipped or GroupChangeStatus.AlreadyMember);
    public IEnumerable<GroupMembershipOutcome> Failed => Groups.Where(g => g.Status == GroupChangeStatus.Failed);
}
