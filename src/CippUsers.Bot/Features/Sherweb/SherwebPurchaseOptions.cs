using System.ComponentModel.DataAnnotations;
using CippUsers.Bot.Access;

namespace CippUsers.Bot.Features.Sherweb;

/// The bot's part of the "Sherweb" section: who may buy, and how the bought seat is waited for. The connection settings
/// (credentials, URLs, customer mapping) are CippUsers.Graph's SherwebOptions in the same section.
internal sealed class SherwebPurchaseOptions : IValidatableObject
{
    /// Roles allowed to buy (reader, helpdesk, admin, approver; admin includes helpdesk). Empty: anyone who may add users.
    public List<string> AllowedRoles { get; init; } = [];

    public SherwebAssignmentCheckOptions AssignmentCheck { get; init; } = new();

    /// <summary>How long a purchase waits for another purchase on the same subscription (any instance) to finish.</summary>
    public TimeSpan PurchaseLockTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>When Sherweb's answer to a purchase is lost: how long the subscription is re-read for the new quantity
    /// before the purchase is reported as unknown (it is never sent again).</summary>
    public TimeSpan AnswerReconcileWait { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a quantity this bot asked for counts as the base of the next purchase while Sherweb has not
    /// shown it in the subscription yet (amendments are processed asynchronously).</summary>
    public TimeSpan PendingAmendmentWindow { get; init; } = TimeSpan.FromHours(24);

    internal IReadOnlyList<Role> Roles => [.. AllowedRoles.Select(r => Enum.TryParse<Role>(r, ignoreCase: true, out var role) ? role : Role.None).Where(r => r != Role.None)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var role in AllowedRoles.Where(r => !Enum.TryParse<Role>(r, ignoreCase: true, out var parsed) || parsed == Role.None))
            yield return new ValidationResult($"Sherweb:AllowedRoles has '{role}'; use reader, helpdesk, admin or approver.");
        var check = AssignmentCheck;
        if (check.Interval < TimeSpan.FromMilliseconds(100) || check.MaxInterval < check.Interval)
            yield return new ValidationResult("Sherweb:AssignmentCheck:Interval must be at least 100 ms and MaxInterval at least Interval.");
        if (AnswerReconcileWait < TimeSpan.Zero || PurchaseLockTimeout < AnswerReconcileWait + TimeSpan.FromSeconds(1))
            yield return new ValidationResult("Sherweb:PurchaseLockTimeout must be at least 1 second longer than Sherweb:AnswerReconcileWait (a purchase holds the lock while it reconciles).");
        if (PendingAmendmentWindow < TimeSpan.Zero)
            yield return new ValidationResult("Sherweb:PendingAmendmentWindow must not be negative.");
        if (check.MaxChecks is < 1 or > 1000)
            yield return new ValidationResult("Sherweb:AssignmentCheck:MaxChecks must be between 1 and 1000.");
    }
}

/// How often the tenant's subscribedSkus are checked for the bought seat: after Interval, then doubling up to MaxInterval,
/// at most MaxChecks times (defaults: 1, 2, 4, 5, 5 … minutes, 30 checks, about 2 hours 20 minutes in all).
internal sealed class SherwebAssignmentCheckOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromMinutes(5);

    public int MaxChecks { get; init; } = 30;

    /// The wait before check number <paramref name="check"/> (1-based).
    public TimeSpan DelayBefore(int check) =>
        TimeSpan.FromTicks(Math.Min(MaxInterval.Ticks, Interval.Ticks * (long)Math.Pow(2, Math.Min(check - 1, 20))));

    public TimeSpan TotalWait => TimeSpan.FromTicks(Enumerable.Range(1, MaxChecks).Sum(c => DelayBefore(c).Ticks));
}
