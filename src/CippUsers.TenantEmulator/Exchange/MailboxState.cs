namespace CippUsers.TenantEmulator.Exchange;

/// <summary>
/// What Exchange Online keeps for one mailbox beyond the directory user it belongs to. Held in
/// <see cref="State.TenantData.Mailboxes"/> (under the tenant's gate), keyed by the user's object id.
/// </summary>
internal sealed class MailboxState(string userId, Guid exchangeGuid, DateTimeOffset created)
{
    public string UserId { get; } = userId;

    public Guid ExchangeGuid { get; } = exchangeGuid;

    public DateTimeOffset Created { get; } = created;

    /// <summary>UserMailbox, SharedMailbox, RoomMailbox or EquipmentMailbox.</summary>
    public string RecipientTypeDetails { get; set; } = MailboxTypes.User;

    /// <summary>Guid.Empty while the mailbox has no archive.</summary>
    public Guid ArchiveGuid { get; set; }

    public bool AutoExpandingArchive { get; set; }

    /// <summary>As Exchange stores it, with the "smtp:" prefix, or null.</summary>
    public string? ForwardingSmtpAddress { get; set; }

    public string? ForwardingAddress { get; set; }

    public bool DeliverToMailboxAndForward { get; set; }

    public bool HiddenFromAddressLists { get; set; }

    /// <summary>Set once Set-Mailbox -Type converted it: a converted mailbox stays even while it has no licence (as the
    /// real one does for its grace period).</summary>
    public bool Converted { get; set; }

    public AutoReplyState AutoReply { get; } = new(created);

    /// <summary>True when the mailbox lives without a licence (shared, room and equipment mailboxes do).</summary>
    public bool NeedsNoLicense => RecipientTypeDetails != MailboxTypes.User;
}

/// <summary>The out-of-office settings of a mailbox (Get/Set-MailboxAutoReplyConfiguration).</summary>
internal sealed class AutoReplyState(DateTimeOffset created)
{
    public string State { get; set; } = "Disabled";

    public string ExternalAudience { get; set; } = "All";

    public string InternalMessage { get; set; } = "";

    public string ExternalMessage { get; set; } = "";

    // Exchange fills a schedule even while auto-replies are off: the next full hour, for a day.
    public DateTimeOffset StartTime { get; set; } = new DateTimeOffset(created.Year, created.Month, created.Day, created.Hour, 0, 0, TimeSpan.Zero).AddHours(1);

    public DateTimeOffset EndTime { get; set; } = new DateTimeOffset(created.Year, created.Month, created.Day, created.Hour, 0, 0, TimeSpan.Zero).AddHours(25);

    public bool CreateOofEvent { get; set; }

    public string OofEventSubject { get; set; } = "";

    public bool AutoDeclineFutureRequestsWhenOof { get; set; }

    public bool DeclineEventsForScheduledOof { get; set; }

    public bool DeclineAllEventsForScheduledOof { get; set; }

    public string DeclineMeetingMessage { get; set; } = "";
}

/// <summary>Exchange's RecipientTypeDetails values for mailboxes, and Set-Mailbox -Type's names for them.</summary>
internal static class MailboxTypes
{
    public const string User = "UserMailbox";
    public const string Shared = "SharedMailbox";
    public const string Room = "RoomMailbox";
    public const string Equipment = "EquipmentMailbox";

    /// <summary>Set-Mailbox -Type (ConvertibleMailboxSubType) → RecipientTypeDetails.</summary>
    public static readonly IReadOnlyDictionary<string, string> FromConvertType = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Regular"] = User,
        ["Room"] = Room,
        ["Equipment"] = Equipment,
        ["Shared"] = Shared,
    };
}
