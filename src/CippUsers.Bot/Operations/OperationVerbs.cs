namespace CippUsers.Bot.Operations;

/// Card verbs of the safety core. Every card carries only {operationId} besides the verb (DESIGN decision 3).
internal static class OperationVerbs
{
    public const string Confirm = "operation.confirm";
    public const string Cancel = "operation.cancel";
    public const string Choose = "operation.choose";
    public const string Approve = "approval.approve";
    public const string Reject = "approval.reject";
    public const string AuditCsv = "audit.csv";
}
