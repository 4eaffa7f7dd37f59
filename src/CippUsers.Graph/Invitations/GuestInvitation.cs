namespace CippUsers.Graph;

/// <summary>A B2B guest to invite.</summary>
public sealed record GuestInvitation(string EmailAddress, string? DisplayName)
{
    /// <summary>Where the guest lands after redeeming.</summary>
    public string RedirectUrl { get; init; } = "https://myapps.microsoft.com";

    /// <summary>Let Microsoft email the invitation.</summary>
    public bool SendInvitationMessage { get; init; } = true;

    /// <summary>Optional text added to the email.</summary>
    public string? Message { get; init; }
}
