namespace CippUsers.Graph.Exchange;

/// <summary>What kind of mailbox it is (Exchange's RecipientTypeDetails), and what Set-Mailbox -Type converts to.</summary>
public enum MailboxType
{
    /// <summary>UserMailbox; Set-Mailbox -Type Regular.</summary>
    User,

    /// <summary>SharedMailbox.</summary>
    Shared,

    /// <summary>RoomMailbox.</summary>
    Room,

    /// <summary>EquipmentMailbox.</summary>
    Equipment,

    /// <summary>Any other recipient type (see <see cref="Mailbox.RecipientTypeDetails"/>).</summary>
    Other,
}

/// <summary>A mailbox as Get-Mailbox reads it.</summary>
/// <param name="UserId">The Entra object id of its user (ExternalDirectoryObjectId).</param>
/// <param name="RecipientTypeDetails">Exchange's raw value, e.g. "SharedMailbox".</param>
/// <param name="ArchiveStatus">"Active" when the mailbox has an archive, else usually "None".</param>
/// <param name="ForwardingSmtpAddress">External forwarding address without Exchange's "smtp:" prefix, or null.</param>
/// <param name="ForwardingAddress">The internal recipient mail is forwarded to, or null.</param>
public sealed record Mailbox(
    string? UserId,
    string UserPrincipalName,
    string DisplayName,
    string PrimarySmtpAddress,
    string? Alias,
    string RecipientTypeDetails,
    string ArchiveStatus,
    bool AutoExpandingArchiveEnabled,
    string? ForwardingSmtpAddress,
    string? ForwardingAddress,
    bool DeliverToMailboxAndForward,
    bool HiddenFromAddressListsEnabled,
    IReadOnlyList<string> EmailAddresses)
{
    public MailboxType Type => RecipientTypeDetails switch
    {
        "UserMailbox" => MailboxType.User,
        "SharedMailbox" => MailboxType.Shared,
        "RoomMailbox" => MailboxType.Room,
        "EquipmentMailbox" => MailboxType.Equipment,
        _ => MailboxType.Other,
    };

    public bool HasArchive => string.Equals(ArchiveStatus, "Active", StringComparison.OrdinalIgnoreCase);

    public bool IsForwarding => ForwardingSmtpAddress is not null || ForwardingAddress is not null;
}

/// <summary>Out-of-office state: Disabled, Enabled (until switched off) or Scheduled (between the times).</summary>
public enum AutoReplyState
{
    Disabled,
    Enabled,
    Scheduled,
}

/// <summary>Who outside the organisation gets the external reply.</summary>
public enum ExternalAudience
{
    None,
    Known,
    All,
}

/// <summary>A mailbox's out-of-office settings (Get-MailboxAutoReplyConfiguration).</summary>
public sealed record AutoReplyConfiguration(
    AutoReplyState State,
    ExternalAudience ExternalAudience,
    string InternalMessage,
    string ExternalMessage,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    bool CreateOofEvent,
    string? OofEventSubject,
    bool AutoDeclineFutureRequestsWhenOof,
    bool DeclineEventsForScheduledOof,
    bool DeclineAllEventsForScheduledOof,
    string? DeclineMeetingMessage);

/// <summary>
/// What Set-MailboxAutoReplyConfiguration should change. Null leaves a value as it is (so "Disabled" keeps the texts).
/// The calendar options are only valid with <see cref="AutoReplyState.Scheduled"/>.
/// </summary>
public sealed record AutoReplySettings(AutoReplyState State)
{
    public ExternalAudience? ExternalAudience { get; init; }

    public string? InternalMessage { get; init; }

    public string? ExternalMessage { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    public bool? CreateOofEvent { get; init; }

    public string? OofEventSubject { get; init; }

    public bool? AutoDeclineFutureRequestsWhenOof { get; init; }

    public bool? DeclineEventsForScheduledOof { get; init; }

    public bool? DeclineAllEventsForScheduledOof { get; init; }

    public string? DeclineMeetingMessage { get; init; }
}

/// <summary>What one cmdlet answered: its rows (type annotations removed) and Exchange's warnings.</summary>
public sealed record ExchangeOutput(IReadOnlyList<System.Text.Json.Nodes.JsonObject> Rows, IReadOnlyList<string> Warnings);
