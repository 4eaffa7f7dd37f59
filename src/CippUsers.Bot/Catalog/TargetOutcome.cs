namespace CippUsers.Bot.Catalog;

/// The result of running an action on one target. Message is shown on cards and written to the audit log, so it must
/// never carry a secret: runners hand secrets to SecretDelivery and put its returned text here instead.
internal sealed record TargetOutcome(bool Succeeded, string Message)
{
    public static TargetOutcome Success(string message) => new(true, message);

    public static TargetOutcome Failure(string message) => new(false, message);
}
