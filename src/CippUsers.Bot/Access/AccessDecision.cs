namespace CippUsers.Bot.Access;

/// Allowed, or refused with a reason that is safe to show the tech.
internal sealed record AccessDecision(bool Allowed, string Reason)
{
    public static AccessDecision Allow { get; } = new(true, "");

    public static AccessDecision Refuse(string reason) => new(false, reason);
}
