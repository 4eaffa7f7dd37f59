namespace CippUsers.Graph;

/// <summary>What kind of thing went wrong, for branching; the message says it in words.</summary>
public enum GraphFailureKind
{
    NotFound,
    Forbidden,
    Unauthorized,
    Throttled,
    Conflict,
    BadRequest,
    Unavailable,
    Unknown,
}
