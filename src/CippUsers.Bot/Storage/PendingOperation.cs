using System.Text.Json.Nodes;
using CippUsers.Bot.Conversations;

namespace CippUsers.Bot.Storage;

public enum OperationState { Draft, AwaitingConfirmation, AwaitingApproval, Running, Succeeded, Failed, PartlySucceeded, Cancelled, Rejected, Expired }

public sealed record OperationTarget(string Id, string DisplayName, string? UserPrincipalName);

public sealed record TargetResult(string TargetId, string DisplayName, bool Succeeded, string Message);

/// <summary>
/// A change a tech asked for, stored server-side; cards carry only its id and a verb.
/// State changes go through <see cref="PendingOperationStore.TryTransitionAsync"/> (compare-and-swap on State and Version).
/// </summary>
public sealed record PendingOperation
{
    public required Guid Id { get; init; }
    public required string RequesterAadObjectId { get; init; }
    public required string RequesterName { get; init; }
    public required string TenantId { get; init; }
    public required string TenantName { get; init; }
    public required string ActionId { get; init; }
    public IReadOnlyList<OperationTarget> Targets { get; init; } = [];

    /// <summary>Action inputs. Never secrets: keys that look like passwords, TAPs or secrets are refused on write.</summary>
    public JsonObject Parameters { get; init; } = [];

    public OperationState State { get; init; } = OperationState.Draft;

    /// <summary>Bumped by the store on every successful transition; the value passed to CreateAsync is ignored (starts at 1).</summary>
    public int Version { get; init; } = 1;

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public ConversationAddress? RequestConversation { get; init; }
    public string? RequestCardActivityId { get; init; }
    public ConversationAddress? ApprovalConversation { get; init; }
    public string? ApprovalCardActivityId { get; init; }
    public string? DecidedByAadObjectId { get; init; }
    public string? DecidedByName { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public IReadOnlyList<TargetResult> Results { get; init; } = [];
    public string? CorrelationId { get; init; }

    public bool IsTerminal => State.IsTerminal();
}

public static class OperationStateExtensions
{
    public static bool IsTerminal(this OperationState state) => state switch
    {
        OperationState.Succeeded or OperationState.Failed or OperationState.PartlySucceeded
            or OperationState.Cancelled or OperationState.Rejected or OperationState.Expired => true,
        OperationState.Draft or OperationState.AwaitingConfirmation or OperationState.AwaitingApproval
            or OperationState.Running => false,
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}

/// <summary>Filter for <see cref="PendingOperationStore.ListAsync"/>; null members do not filter. Newest first.</summary>
public sealed record OperationQuery
{
    public IReadOnlyCollection<OperationState>? States { get; init; }
    public IReadOnlyCollection<string>? TenantIds { get; init; }
    public string? RequesterAadObjectId { get; init; }
    public string? ActionId { get; init; }
    public int Limit { get; init; } = 50;
}
