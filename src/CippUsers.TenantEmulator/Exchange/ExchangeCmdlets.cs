using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Exchange;

/// <summary>What a cmdlet produced: rows (before paging and $select) and warnings.</summary>
internal sealed record CmdletOutput(IReadOnlyList<JsonObject> Rows, IReadOnlyList<string> Warnings);

/// <summary>
/// The cmdlets the emulator runs, over the tenant's users and <see cref="TenantData.Mailboxes"/>. Parameter names are
/// case-insensitive; an unknown parameter, a bad enum value or a missing Identity is Exchange's 400 "Invalid Operation".
/// </summary>
internal static class ExchangeCmdlets
{
    private static readonly string[] AutoReplyStates = ["Disabled", "Enabled", "Scheduled"];
    private static readonly string[] ExternalAudiences = ["None", "Known", "All"];
    private static readonly string[] CalendarOptions = ["CreateOOFEvent", "OOFEventSubject", "AutoDeclineFutureRequestsWhenOOF", "DeclineEventsForScheduledOOF", "DeclineAllEventsForScheduledOOF", "DeclineMeetingMessage"];

    private static readonly Dictionary<string, string[]> Parameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Get-Mailbox"] = ["Identity", "ResultSize", "RecipientTypeDetails"],
        ["Set-Mailbox"] = ["Identity", "Type", "ForwardingSmtpAddress", "ForwardingAddress", "DeliverToMailboxAndForward", "HiddenFromAddressListsEnabled"],
        ["Get-MailboxAutoReplyConfiguration"] = ["Identity"],
        ["Set-MailboxAutoReplyConfiguration"] = ["Identity", "AutoReplyState", "ExternalAudience", "InternalMessage", "ExternalMessage", "StartTime", "EndTime", .. CalendarOptions],
    };

    public static IReadOnlyCollection<string> Names => Parameters.Keys;

    /// <summary>Runs one cmdlet under the tenant's gate.</summary>
    public static (CmdletOutput? Output, ExchangeError? Error) Run(TenantData tenant, string cmdlet, JsonObject parameters, DateTimeOffset now)
    {
        if (!Parameters.TryGetValue(cmdlet, out var allowed))
        {
            return (null, ExchangeErrors.UnknownCmdlet(cmdlet));
        }

        var args = new Args(parameters);
        if (parameters.Select(p => p.Key).FirstOrDefault(k => !allowed.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            return (null, ExchangeErrors.UnknownParameter(cmdlet, unknown));
        }

        lock (tenant.Gate)
        {
            return cmdlet.ToUpperInvariant() switch
            {
                "GET-MAILBOX" => GetMailbox(tenant, args, now),
                "SET-MAILBOX" => SetMailbox(tenant, args, now),
                "GET-MAILBOXAUTOREPLYCONFIGURATION" => GetAutoReply(tenant, args, now),
                _ => SetAutoReply(tenant, args, now),
            };
        }
    }

    private static (CmdletOutput?, ExchangeError?) GetMailbox(TenantData tenant, Args args, DateTimeOffset now)
    {
        var types = args.Strings("RecipientTypeDetails");
        var valid = new[] { MailboxTypes.User, MailboxTypes.Shared, MailboxTypes.Room, MailboxTypes.Equipment };
        if (types?.FirstOrDefault(t => !valid.Contains(t, StringComparer.OrdinalIgnoreCase)) is { } badType)
        {
            return (null, ExchangeErrors.BadEnum("RecipientTypeDetails", badType, "Microsoft.Exchange.Data.Directory.Recipient.RecipientTypeDetails[]", valid));
        }

        int? limit = null;
        if (args.String("ResultSize") is { } size && !string.Equals(size, "Unlimited", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                return (null, ExchangeErrors.BadValue("ResultSize", size, "Microsoft.Exchange.Data.Unlimited`1[System.UInt32]"));
            }

            limit = n;
        }

        if (args.String("Identity") is { } identity)
        {
            return Mailboxes.Find(tenant, identity, now) is { } found && (types is null || types.Contains(found.Mailbox.RecipientTypeDetails, StringComparer.OrdinalIgnoreCase))
                ? (new CmdletOutput([Mailboxes.Row(found.User, found.Mailbox)], []), null)
                : (null, ExchangeErrors.NotFound(identity));
        }

        var rows = Mailboxes.All(tenant, now)
            .Where(m => types is null || types.Contains(m.Mailbox.RecipientTypeDetails, StringComparer.OrdinalIgnoreCase))
            .Select(m => Mailboxes.Row(m.User, m.Mailbox));
        return (new CmdletOutput([.. limit is { } l ? rows.Take(l) : rows], []), null);
    }

    private static (CmdletOutput?, ExchangeError?) SetMailbox(TenantData tenant, Args args, DateTimeOffset now)
    {
        if (Target(tenant, args, now, out var user, out var mailbox) is { } missing)
        {
            return (null, missing);
        }

        string? newType = null;
        if (args.Has("Type"))
        {
            var type = args.String("Type") ?? "";
            if (!MailboxTypes.FromConvertType.TryGetValue(type, out newType))
            {
                return (null, ExchangeErrors.BadEnum("Type", type, "Microsoft.Exchange.Data.Directory.Recipient.ConvertibleMailboxSubType", MailboxTypes.FromConvertType.Keys));
            }
        }

        bool? keepCopy = null;
        bool? hidden = null;
        if (args.Has("DeliverToMailboxAndForward") && !args.TryBool("DeliverToMailboxAndForward", out keepCopy))
        {
            return (null, ExchangeErrors.BadValue("DeliverToMailboxAndForward", args.Raw("DeliverToMailboxAndForward"), "System.Boolean"));
        }

        if (args.Has("HiddenFromAddressListsEnabled") && !args.TryBool("HiddenFromAddressListsEnabled", out hidden))
        {
            return (null, ExchangeErrors.BadValue("HiddenFromAddressListsEnabled", args.Raw("HiddenFromAddressListsEnabled"), "System.Boolean"));
        }

        string? forwardingAddress = null;
        if (args.String("ForwardingAddress") is { } target)
        {
            if (Mailboxes.Find(tenant, target, now) is not { } recipient)
            {
                return (null, ExchangeErrors.RecipientNotFound(target));
            }

            forwardingAddress = recipient.Mailbox.UserId;
        }

        string? forwardingSmtp = null;
        if (args.String("ForwardingSmtpAddress") is { } smtp)
        {
            var address = smtp.StartsWith("smtp:", StringComparison.OrdinalIgnoreCase) ? smtp[5..] : smtp;
            if (address.Split('@') is not [{ Length: > 0 }, { Length: > 2 } domain] || !domain.Contains('.', StringComparison.Ordinal))
            {
                return (null, ExchangeErrors.BadValue("ForwardingSmtpAddress", smtp, "Microsoft.Exchange.Data.ProxyAddress"));
            }

            forwardingSmtp = "smtp:" + address;
        }

        var before = Snapshot(mailbox);
        if (newType is not null)
        {
            mailbox.RecipientTypeDetails = newType;
            mailbox.Converted = true;
        }

        if (args.Has("ForwardingAddress"))
        {
            mailbox.ForwardingAddress = forwardingAddress;
        }

        if (args.Has("ForwardingSmtpAddress"))
        {
            mailbox.ForwardingSmtpAddress = forwardingSmtp;
        }

        mailbox.DeliverToMailboxAndForward = keepCopy ?? mailbox.DeliverToMailboxAndForward;
        mailbox.HiddenFromAddressLists = hidden ?? mailbox.HiddenFromAddressLists;
        return (new CmdletOutput([], before == Snapshot(mailbox) ? [NothingModified(args.String("Identity")!)] : []), null);

        static string Snapshot(MailboxState m) => $"{m.RecipientTypeDetails}|{m.ForwardingAddress}|{m.ForwardingSmtpAddress}|{m.DeliverToMailboxAndForward}|{m.HiddenFromAddressLists}";
    }

    private static (CmdletOutput?, ExchangeError?) GetAutoReply(TenantData tenant, Args args, DateTimeOffset now) =>
        Target(tenant, args, now, out var user, out var mailbox) is { } missing
            ? (null, missing)
            : (new CmdletOutput([Mailboxes.AutoReplyRow(user, mailbox)], []), null);

    private static (CmdletOutput?, ExchangeError?) SetAutoReply(TenantData tenant, Args args, DateTimeOffset now)
    {
        if (Target(tenant, args, now, out _, out var mailbox) is { } missing)
        {
            return (null, missing);
        }

        var a = mailbox.AutoReply;
        var state = a.State;
        if (args.Has("AutoReplyState"))
        {
            var value = args.String("AutoReplyState") ?? "";
            state = AutoReplyStates.FirstOrDefault(s => string.Equals(s, value, StringComparison.OrdinalIgnoreCase));
            if (state is null)
            {
                return (null, ExchangeErrors.BadEnum("AutoReplyState", value, "Microsoft.Exchange.Data.Storage.OofState", AutoReplyStates));
            }
        }

        var audience = a.ExternalAudience;
        if (args.Has("ExternalAudience"))
        {
            var value = args.String("ExternalAudience") ?? "";
            audience = ExternalAudiences.FirstOrDefault(s => string.Equals(s, value, StringComparison.OrdinalIgnoreCase));
            if (audience is null)
            {
                return (null, ExchangeErrors.BadEnum("ExternalAudience", value, "Microsoft.Exchange.Data.Storage.ExternalAudience", ExternalAudiences));
            }
        }

        var start = a.StartTime;
        var end = a.EndTime;
        foreach (var (name, apply) in new (string, Action<DateTimeOffset>)[] { ("StartTime", t => start = t), ("EndTime", t => end = t) })
        {
            if (!args.Has(name))
            {
                continue;
            }

            if (!DateTimeOffset.TryParse(args.String(name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return (null, ExchangeErrors.BadValue(name, args.Raw(name), "System.DateTime"));
            }

            apply(at.ToUniversalTime());
        }

        if (CalendarOptions.FirstOrDefault(args.Has) is { } option && state != "Scheduled")
        {
            return (null, ExchangeErrors.Invalid($"The parameter {option} can only be used when AutoReplyState is Scheduled."));
        }

        if (state == "Scheduled" && end <= start)
        {
            return (null, ExchangeErrors.Invalid("The end time must be later than the start time."));
        }

        var flags = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in new[] { "CreateOOFEvent", "AutoDeclineFutureRequestsWhenOOF", "DeclineEventsForScheduledOOF", "DeclineAllEventsForScheduledOOF" })
        {
            if (args.Has(name))
            {
                if (!args.TryBool(name, out var flag))
                {
                    return (null, ExchangeErrors.BadValue(name, args.Raw(name), "System.Boolean"));
                }

                flags[name] = flag!.Value;
            }
        }

        var before = Snapshot(a);
        a.State = state;
        a.ExternalAudience = audience;
        a.StartTime = start;
        a.EndTime = end;
        a.InternalMessage = args.Has("InternalMessage") ? args.String("InternalMessage") ?? "" : a.InternalMessage;
        a.ExternalMessage = args.Has("ExternalMessage") ? args.String("ExternalMessage") ?? "" : a.ExternalMessage;
        a.OofEventSubject = args.Has("OOFEventSubject") ? args.String("OOFEventSubject") ?? "" : a.OofEventSubject;
        a.DeclineMeetingMessage = args.Has("DeclineMeetingMessage") ? args.String("DeclineMeetingMessage") ?? "" : a.DeclineMeetingMessage;
        a.CreateOofEvent = flags.GetValueOrDefault("CreateOOFEvent", a.CreateOofEvent);
        a.AutoDeclineFutureRequestsWhenOof = flags.GetValueOrDefault("AutoDeclineFutureRequestsWhenOOF", a.AutoDeclineFutureRequestsWhenOof);
        a.DeclineEventsForScheduledOof = flags.GetValueOrDefault("DeclineEventsForScheduledOOF", a.DeclineEventsForScheduledOof);
        a.DeclineAllEventsForScheduledOof = flags.GetValueOrDefault("DeclineAllEventsForScheduledOOF", a.DeclineAllEventsForScheduledOof);
        return (new CmdletOutput([], before == Snapshot(a) ? [NothingModified(args.String("Identity")!)] : []), null);

        static string Snapshot(AutoReplyState s) => JsonSerializer.Serialize(new object[]
        {
            s.State, s.ExternalAudience, s.InternalMessage, s.ExternalMessage, s.StartTime, s.EndTime, s.CreateOofEvent, s.OofEventSubject,
            s.AutoDeclineFutureRequestsWhenOof, s.DeclineEventsForScheduledOof, s.DeclineAllEventsForScheduledOof, s.DeclineMeetingMessage,
        });
    }

    private static ExchangeError? Target(TenantData tenant, Args args, DateTimeOffset now, out DirectoryUser user, out MailboxState mailbox)
    {
        user = null!;
        mailbox = null!;
        if (args.String("Identity") is not { Length: > 0 } identity)
        {
            return ExchangeErrors.MissingParameter("Identity");
        }

        if (Mailboxes.Find(tenant, identity, now) is not { } found)
        {
            return ExchangeErrors.NotFound(identity);
        }

        (user, mailbox) = found;
        return null;
    }

    private static string NothingModified(string identity) =>
        $"The command completed successfully but no settings of '{identity}' have been modified.";

    /// <summary>Case-insensitive access to the Parameters object.</summary>
    private sealed class Args(JsonObject parameters)
    {
        private JsonNode? Get(string name, out bool present)
        {
            foreach (var (key, value) in parameters)
            {
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    present = true;
                    return value;
                }
            }

            present = false;
            return null;
        }

        public bool Has(string name)
        {
            Get(name, out var present);
            return present;
        }

        public string? String(string name) => Get(name, out _) switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            var other => other.ToJsonString(),
        };

        public string Raw(string name) => Get(name, out _)?.ToJsonString() ?? "null";

        public IReadOnlyList<string>? Strings(string name) => Get(name, out _) switch
        {
            null => null,
            JsonArray array => [.. array.Select(n => (string?)n ?? "")],
            var single => [String(name) ?? single.ToJsonString()],
        };

        public bool TryBool(string name, out bool? value)
        {
            value = Get(name, out _) switch
            {
                JsonValue v when v.TryGetValue<bool>(out var b) => b,
                JsonValue v when v.TryGetValue<string>(out var s) && bool.TryParse(s, out var b) => b,
                _ => null,
            };
            return value is not null;
        }
    }
}
