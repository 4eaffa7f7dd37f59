using Microsoft.Graph.Models;

namespace CippUsers.Graph;

/// <summary>B2B guest invitations, at most Graph:InvitationBudget per tenant (150 per 5 s).</summary>
public sealed class InvitationOperations
{
    private readonly GraphCalls calls;
    private readonly InvitationLimiters limiters;

    internal InvitationOperations(GraphCalls calls, InvitationLimiters limiters)
    {
        this.calls = calls;
        this.limiters = limiters;
    }

    /// <summary>Invites a guest; follow-up calls about the new guest wait out replication delay.</summary>
    public async Task<GraphResult<InvitedGuest>> InviteAsync(string tenantId, GuestInvitation invitation, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(invitation.EmailAddress) || !invitation.EmailAddress.Contains('@', StringComparison.Ordinal))
            return GraphFailure.Refused("A guest needs a valid email address.");
        var body = Bodies.New<Invitation>();
        body.InvitedUserEmailAddress = invitation.EmailAddress.Trim();
        body.InviteRedirectUrl = invitation.RedirectUrl;
        body.SendInvitationMessage = invitation.SendInvitationMessage;
        body.InvitedUserType = "Guest";
        // The SDK sends every assigned property, null included: assign the optional ones only when present.
        if (!string.IsNullOrWhiteSpace(invitation.DisplayName))
            body.InvitedUserDisplayName = invitation.DisplayName.Trim();
        if (!string.IsNullOrWhiteSpace(invitation.Message))
            body.InvitedUserMessageInfo = new InvitedUserMessageInfo { CustomizedMessageBody = invitation.Message };
        // Graph allows 150 invitations per 5 s per tenant: wait locally for budget instead of collecting 429s.
        if (calls.IsKnown(tenantId))
            await limiters.AcquireAsync(tenantId, ct);
        var result = await calls.RunAsync(tenantId, async (client, t) =>
        {
            var sent = await client.Invitations.PostAsync(body, cancellationToken: t);
            return new InvitedGuest(sent?.InvitedUser?.Id ?? "", sent?.InvitedUserEmailAddress ?? body.InvitedUserEmailAddress, sent?.InviteRedeemUrl, sent?.Status);
        }, ct);
        if (result.Succeeded)
            calls.Recent.Remember(tenantId, result.Value!.UserId);
        return result;
    }
}
