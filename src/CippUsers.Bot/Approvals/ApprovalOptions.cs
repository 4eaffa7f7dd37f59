using System.ComponentModel.DataAnnotations;

namespace CippUsers.Bot.Approvals;

/// The "Approvals" section.
internal sealed class ApprovalOptions
{
    public const string Section = "Approvals";

    /// A bulk request on more targets than this needs an approver, whatever the action's class.
    [Range(1, 100_000)]
    public int BulkThreshold { get; init; } = 25;

    /// How long a pending operation waits for confirmation or approval before it expires.
    [Range(1, 10_080)]
    public int ExpiryMinutes { get; init; } = 15;

    public TimeSpan Expiry => TimeSpan.FromMinutes(ExpiryMinutes);
}
