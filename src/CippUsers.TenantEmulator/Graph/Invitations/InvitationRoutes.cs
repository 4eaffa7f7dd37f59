using System.Net.Mail;
using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Graph.Users;
using CippUsers.TenantEmulator.Seeding;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Graph.Invitations;

/// <summary>POST /invitations: creates (or re-invites) a guest user; at most 150 per 5 s per tenant.</summary>
internal static class InvitationRoutes
{
    public static void Map(GraphRouter router) => router.Map("POST", "invitations", Invite);

    private static GraphResult Invite(GraphCall call)
    {
        if (call.Body is not JsonObject body)
        {
            return GraphResult.Error(400, "BadRequest", "Empty Payload. JSON content expected.");
        }

        if (!UserValidation.IsString(body["invitedUserEmailAddress"]) || !MailAddress.TryCreate(body["invitedUserEmailAddress"]!.GetValue<string>(), out var address))
        {
            return GraphResult.Error(400, "BadRequest", "The invitedUserEmailAddress property is required and must be a valid email address.");
        }

        if (!UserValidation.IsString(body["inviteRedirectUrl"]) || !Uri.TryCreate(body["inviteRedirectUrl"]!.GetValue<string>(), UriKind.Absolute, out _))
        {
            return GraphResult.Error(400, "BadRequest", "The inviteRedirectUrl property is required and must be an absolute URL.");
        }

        if (InvitationBudget.TryTake(call) is { } throttled)
        {
            return throttled;
        }

        var email = address.Address;
        var userType = (string?)body["invitedUserType"] ?? "Guest";
        if (userType is not ("Guest" or "Member"))
        {
            return GraphResult.Error(400, "BadRequest", "invitedUserType must be Guest or Member.");
        }

        lock (call.Tenant.Gate)
        {
            var existing = call.Tenant.Users.FirstOrDefault(u => string.Equals((string?)u.Data["mail"], email, StringComparison.OrdinalIgnoreCase));
            if (existing is not null && (string?)existing.Data["creationType"] != "Invitation")
            {
                return GraphResult.Error(400, "BadRequest", $"The invited user already exists in the directory as object {existing.Id}.");
            }

            var guest = existing ?? CreateGuest(call, body, email, userType);
            var invitation = new JsonObject
            {
                ["@odata.context"] = $"{call.ServiceRoot}$metadata#invitations/$entity",
                ["id"] = Guid.NewGuid().ToString(),
                ["inviteRedeemUrl"] = $"https://login.microsoftonline.com/redeem?rd=https%3a%2f%2finvitations.microsoft.com%2fredeem%2f%3ftenant%3d{call.Tenant.Info.TenantId}%26user%3d{guest.Id}",
                ["invitedUserDisplayName"] = body["invitedUserDisplayName"]?.DeepClone(),
                ["invitedUserType"] = userType,
                ["invitedUserEmailAddress"] = email,
                ["sendInvitationMessage"] = (bool?)body["sendInvitationMessage"] ?? false,
                ["resetRedemption"] = (bool?)body["resetRedemption"] ?? false,
                ["inviteRedirectUrl"] = body["inviteRedirectUrl"]!.DeepClone(),
                ["status"] = (string?)guest.Data["externalUserState"] == "Accepted" ? "Completed" : "PendingAcceptance",
                ["invitedUserMessageInfo"] = body["invitedUserMessageInfo"]?.DeepClone() ?? new JsonObject
                {
                    ["messageLanguage"] = null,
                    ["customizedMessageBody"] = null,
                    ["ccRecipients"] = new JsonArray(),
                },
                ["invitedUser"] = new JsonObject { ["id"] = guest.Id },
            };
            return GraphResult.Created(invitation);
        }
    }

    private static DirectoryUser CreateGuest(GraphCall call, JsonObject body, string email, string userType)
    {
        var now = call.Now;
        var id = Guid.NewGuid().ToString();
        var nickname = email.Split('@')[0].Replace(".", "_", StringComparison.Ordinal);
        var upn = $"{email.Replace('@', '_')}#EXT#@{call.Tenant.Info.InitialDomain}";
        var data = UserFactory.NewUser(id, (string?)body["invitedUserDisplayName"] ?? email, upn, nickname, true);
        data["mail"] = email;
        data["userType"] = userType;
        data["externalUserState"] = "PendingAcceptance";
        data["creationType"] = "Invitation";
        data["createdDateTime"] = TenantSeeder.Timestamp(now);
        data["otherMails"] = new JsonArray(email);
        data["proxyAddresses"] = new JsonArray($"SMTP:{email}");
        var user = new DirectoryUser(id, data, now + call.Tenant.Realism.ReplicationDelay);
        call.Tenant.AddUser(user);
        return user;
    }
}
