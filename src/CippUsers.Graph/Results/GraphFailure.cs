namespace CippUsers.Graph;

/// <summary>A failed Graph call: <paramref name="Message"/> is written for a helpdesk tech, never Graph's raw text.</summary>
/// <param name="Kind">Category to branch on.</param>
/// <param name="Message">Friendly explanation that can go on a card.</param>
/// <param name="RequestId">Graph's request-id, for a support case; null when the call never reached Graph.</param>
public sealed record GraphFailure(GraphFailureKind Kind, string Message, string? RequestId)
{
    /// <summary>Graph's error code (e.g. Request_ResourceNotFound), when there was one. For logs and branching, not display.</summary>
    public string? Code { get; init; }

    internal static GraphFailure Refused(string message) => new(GraphFailureKind.BadRequest, message, null);
}
