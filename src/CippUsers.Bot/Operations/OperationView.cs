using CippUsers.Bot.Catalog;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Operations;

/// Text shared by the cards of one operation.
internal static class OperationView
{
    public static string Targets(IReadOnlyList<OperationTarget> targets, int shown = 3)
    {
        var names = targets.Take(shown).Select(t => t.DisplayName).ToList();
        var more = targets.Count - names.Count;
        var list = string.Join(", ", names) + (more > 0 ? $" and {more} more" : "");
        return targets.Count == 1 ? list : $"{targets.Count} users: {list}";
    }

    public static string Parameter(ActionDescriptor action, string inputId, string value)
    {
        var input = action.FindInput(inputId);
        return input?.Choices?.FirstOrDefault(c => c.Value == value)?.Title ?? value;
    }

    public static IEnumerable<(string Label, string Value)> Parameters(ActionDescriptor action, PendingOperation op)
    {
        foreach (var (key, node) in op.Parameters)
        {
            if (key.StartsWith('_') || node is null)
            {
                continue;
            }

            var label = action.FindInput(key)?.Label ?? key;
            yield return (label, Parameter(action, key, node.ToString()));
        }
    }

    public static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    public static string StateTitle(OperationState state) => state switch
    {
        OperationState.Draft => "Choose the users",
        OperationState.AwaitingConfirmation => "Please confirm",
        OperationState.AwaitingApproval => "Waiting for an approver",
        OperationState.Running => "Running…",
        OperationState.Succeeded => "✓ Done",
        OperationState.Failed => "✗ Failed",
        OperationState.PartlySucceeded => "Partly done",
        OperationState.Cancelled => "Cancelled",
        OperationState.Rejected => "Rejected",
        OperationState.Expired => "Expired",
        _ => state.ToString(),
    };
}
