namespace CippUsers.Bot.Catalog;

/// How much care an action needs before it may run (DESIGN decision 8). The rules per class are data in AccessPolicy.
internal enum PolicyClass
{
    Read,
    Change,
    Destructive,
    ApprovalGated,
}
