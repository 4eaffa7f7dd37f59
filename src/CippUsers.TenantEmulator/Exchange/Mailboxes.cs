using System.Globalization;
using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Graph;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Exchange;

/// <summary>
/// Which users have a mailbox and how a cmdlet's Identity finds it. Call under the tenant's gate. A member has a mailbox
/// when a licence of theirs carries an Exchange Online plan that is not disabled, or when it was made a shared, room or
/// equipment mailbox (those need no licence). Guests and users still replicating have none.
/// </summary>
internal static class Mailboxes
{
    public static bool IsMember(DirectoryUser user) => (string?)user.Data["userType"] != "Guest";

    public static bool HasExchangePlan(TenantData tenant, DirectoryUser user)
    {
        if (user.Data["assignedLicenses"] is not JsonArray licenses)
        {
            return false;
        }

        foreach (var license in licenses.OfType<JsonObject>())
        {
            var sku = tenant.Skus.FirstOrDefault(s => string.Equals(s.SkuId, (string?)license["skuId"], StringComparison.OrdinalIgnoreCase));
            var disabled = (license["disabledPlans"] as JsonArray ?? []).Select(p => (string?)p).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (sku?.Plans.Any(p => p.Name.StartsWith("EXCHANGE_S_", StringComparison.Ordinal) && !disabled.Contains(p.Id)) == true)
            {
                return true;
            }
        }

        return false;
    }

    public static MailboxState Create(DirectoryUser user, DateTimeOffset fallbackCreated)
    {
        var created = DateTimeOffset.TryParse((string?)user.Data["createdDateTime"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : fallbackCreated;
        return new MailboxState(user.Id, Guid.Parse(GraphShapes.DeterministicGuid(user.Id + "mailbox")), created.ToUniversalTime());
    }

    /// <summary>The user's mailbox, made on first use for a licensed user; null when the user has none.</summary>
    public static MailboxState? Of(TenantData tenant, DirectoryUser user, DateTimeOffset now)
    {
        if (!IsMember(user) || user.VisibleAt > now)
        {
            return null;
        }

        tenant.Mailboxes.TryGetValue(user.Id, out var mailbox);
        if (mailbox is { NeedsNoLicense: true } or { Converted: true })
        {
            return mailbox;
        }

        if (!HasExchangePlan(tenant, user))
        {
            return null;
        }

        if (mailbox is null)
        {
            mailbox = Create(user, now);
            tenant.Mailboxes[user.Id] = mailbox;
        }

        return mailbox;
    }

    /// <summary>Finds the mailbox an Identity names: object id, UPN, primary or secondary SMTP address, or alias.</summary>
    public static (DirectoryUser User, MailboxState Mailbox)? Find(TenantData tenant, string identity, DateTimeOffset now)
    {
        var text = identity.Trim();
        if (text.StartsWith("smtp:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..];
        }

        var user = tenant.FindUser(text, now) ?? tenant.Users.FirstOrDefault(u => u.VisibleAt <= now && Names(u, text));
        return user is not null && Of(tenant, user, now) is { } mailbox ? (user, mailbox) : null;
    }

    /// <summary>Every mailbox of the tenant, in the order the users were created.</summary>
    public static IEnumerable<(DirectoryUser User, MailboxState Mailbox)> All(TenantData tenant, DateTimeOffset now)
    {
        foreach (var user in tenant.Users)
        {
            if (Of(tenant, user, now) is { } mailbox)
            {
                yield return (user, mailbox);
            }
        }
    }

    private static bool Names(DirectoryUser user, string text) =>
        string.Equals((string?)user.Data["mail"], text, StringComparison.OrdinalIgnoreCase)
        || string.Equals((string?)user.Data["mailNickname"], text, StringComparison.OrdinalIgnoreCase)
        || (user.Data["proxyAddresses"] as JsonArray ?? []).Any(p => ((string?)p)?.Split(':', 2) is [_, var address] && string.Equals(address, text, StringComparison.OrdinalIgnoreCase));

    public static string PrimarySmtp(DirectoryUser user) => (string?)user.Data["mail"] ?? user.UserPrincipalName;

    public static string Alias(DirectoryUser user) => (string?)user.Data["mailNickname"] ?? user.UserPrincipalName.Split('@')[0];

    /// <summary>A Get-Mailbox row as the REST API answers it, type annotations included.</summary>
    public static JsonObject Row(DirectoryUser user, MailboxState mailbox)
    {
        var primary = PrimarySmtp(user);
        var addresses = user.Data["proxyAddresses"] is JsonArray { Count: > 0 } proxies ? proxies.DeepClone().AsArray() : new JsonArray($"SMTP:{primary}");
        var hasArchive = mailbox.ArchiveGuid != Guid.Empty;
        var displayName = (string?)user.Data["displayName"] ?? "";
        var resource = mailbox.RecipientTypeDetails switch
        {
            MailboxTypes.Room => "Room",
            MailboxTypes.Equipment => "Equipment",
            _ => null,
        };
        return new JsonObject
        {
            ["Identity"] = mailbox.UserId,
            ["Id"] = mailbox.UserId,
            ["Name"] = mailbox.UserId,
            ["Alias"] = Alias(user),
            ["DisplayName"] = displayName,
            ["UserPrincipalName"] = user.UserPrincipalName,
            ["PrimarySmtpAddress"] = primary,
            ["WindowsEmailAddress"] = primary,
            ["EmailAddresses@odata.type"] = "#Collection(String)",
            ["EmailAddresses"] = addresses,
            ["RecipientType"] = "UserMailbox",
            ["RecipientTypeDetails"] = mailbox.RecipientTypeDetails,
            ["ResourceType"] = resource,
            ["IsResource"] = resource is not null,
            ["IsShared"] = mailbox.RecipientTypeDetails == MailboxTypes.Shared,
            ["ExchangeGuid@data.type"] = "System.Guid",
            ["ExchangeGuid@odata.type"] = "#Guid",
            ["ExchangeGuid"] = mailbox.ExchangeGuid.ToString(),
            ["ArchiveGuid@data.type"] = "System.Guid",
            ["ArchiveGuid@odata.type"] = "#Guid",
            ["ArchiveGuid"] = mailbox.ArchiveGuid.ToString(),
            ["ArchiveStatus"] = hasArchive ? "Active" : "None",
            ["ArchiveName@odata.type"] = "#Collection(String)",
            ["ArchiveName"] = hasArchive ? new JsonArray($"In-Place Archive -{displayName}") : new JsonArray(),
            ["AutoExpandingArchiveEnabled"] = mailbox.AutoExpandingArchive,
            ["ForwardingSmtpAddress"] = mailbox.ForwardingSmtpAddress,
            ["ForwardingAddress"] = mailbox.ForwardingAddress,
            ["DeliverToMailboxAndForward"] = mailbox.DeliverToMailboxAndForward,
            ["HiddenFromAddressListsEnabled"] = mailbox.HiddenFromAddressLists,
            ["ExternalDirectoryObjectId"] = user.Id,
            ["LitigationHoldEnabled"] = false,
            ["RetentionPolicy"] = "Default MRM Policy",
            ["ProhibitSendQuota"] = "49.5 GB (53,150,220,288 bytes)",
            ["GrantSendOnBehalfTo@odata.type"] = "#Collection(String)",
            ["GrantSendOnBehalfTo"] = new JsonArray(),
            ["AccountDisabled"] = user.Data["accountEnabled"]?.GetValue<bool>() == false,
            ["WhenCreated@data.type"] = "System.DateTime",
            ["WhenCreated@odata.type"] = "#DateTimeOffset",
            ["WhenCreated"] = Timestamp(mailbox.Created),
        };
    }

    /// <summary>A Get-MailboxAutoReplyConfiguration row.</summary>
    public static JsonObject AutoReplyRow(DirectoryUser user, MailboxState mailbox)
    {
        var a = mailbox.AutoReply;
        return new JsonObject
        {
            ["Identity"] = mailbox.UserId,
            ["MailboxOwnerId"] = mailbox.UserId,
            ["AutoReplyState"] = a.State,
            ["ExternalAudience"] = a.ExternalAudience,
            ["InternalMessage"] = a.InternalMessage,
            ["ExternalMessage"] = a.ExternalMessage,
            ["StartTime@data.type"] = "System.DateTime",
            ["StartTime@odata.type"] = "#DateTimeOffset",
            ["StartTime"] = Timestamp(a.StartTime),
            ["EndTime@data.type"] = "System.DateTime",
            ["EndTime@odata.type"] = "#DateTimeOffset",
            ["EndTime"] = Timestamp(a.EndTime),
            ["CreateOOFEvent"] = a.CreateOofEvent,
            ["OOFEventSubject"] = a.OofEventSubject,
            ["AutoDeclineFutureRequestsWhenOOF"] = a.AutoDeclineFutureRequestsWhenOof,
            ["DeclineEventsForScheduledOOF"] = a.DeclineEventsForScheduledOof,
            ["DeclineAllEventsForScheduledOOF"] = a.DeclineAllEventsForScheduledOof,
            ["DeclineMeetingMessage"] = a.DeclineMeetingMessage,
            ["UserPrincipalName"] = user.UserPrincipalName,
        };
    }

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
