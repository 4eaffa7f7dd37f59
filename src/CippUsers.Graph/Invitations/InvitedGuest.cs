namespace CippUsers.Graph;

/// <summary>An invitation Graph accepted.</summary>
/// <param name="UserId">The new guest user's object id.</param>
/// <param name="RedeemUrl">The link the guest opens to accept (also in the email when one was sent).</param>
/// <param name="Status">Usually "PendingAcceptance".</param>
public sealed record InvitedGuest(string UserId, string EmailAddress, string? RedeemUrl, string? Status);
