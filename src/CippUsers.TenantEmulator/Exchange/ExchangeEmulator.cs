using System.Collections.Concurrent;
using CippUsers.TenantEmulator.Hosting;
using CippUsers.TenantEmulator.Realism;

namespace CippUsers.TenantEmulator.Exchange;

/// <summary>A mailbox as Exchange Online holds it (a copy).</summary>
/// <param name="RecipientTypeDetails">UserMailbox, SharedMailbox, RoomMailbox or EquipmentMailbox.</param>
/// <param name="ForwardingSmtpAddress">With its "smtp:" prefix, as Get-Mailbox answers.</param>
/// <param name="ForwardingAddress">Object id of the internal recipient mail is forwarded to.</param>
public sealed record ExchangeMailbox(
    string UserId,
    string UserPrincipalName,
    string PrimarySmtpAddress,
    string RecipientTypeDetails,
    bool ArchiveActive,
    string? ForwardingSmtpAddress,
    string? ForwardingAddress,
    bool DeliverToMailboxAndForward,
    string AutoReplyState,
    string AutoReplyExternalAudience);

/// <summary>One InvokeCommand the emulator answered: the cmdlet and the names (never the values) of its parameters.</summary>
public sealed record ExchangeCall(DateTimeOffset At, string? TenantId, string? Cmdlet, IReadOnlyList<string> ParameterNames, string? AnchorMailbox, string? Select, int Status);

/// <summary>A failure the test asks Exchange to answer the next calls of a tenant with.</summary>
public enum ExchangeFault
{
    /// <summary>403 whose body is not JSON (an app without Exchange.ManageAsApp or an Exchange admin role).</summary>
    Forbidden,

    /// <summary>429 in plain text: too many concurrent requests for the tenant.</summary>
    Throttled,

    /// <summary>503 with Retry-After.</summary>
    ServiceUnavailable,
}

/// <summary>
/// In-process access to the emulated Exchange Online admin API (<c>POST /adminapi/beta/{tenant}/InvokeCommand</c>):
/// mailboxes as Exchange sees them, the calls it answered, and failures to inject.
/// </summary>
public sealed class ExchangeEmulator
{
    private readonly EmulatorContext context;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ExchangeFault>> faults = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<ExchangeCall> calls = new();
    private readonly Dictionary<string, (RealismSettings Realism, WriteBucket Bucket)> buckets = new(StringComparer.OrdinalIgnoreCase);

    internal ExchangeEmulator(EmulatorContext context) => this.context = context;

    /// <summary>Every InvokeCommand answered so far, oldest first.</summary>
    public IReadOnlyList<ExchangeCall> Calls => [.. calls];

    /// <summary>The mailbox an Identity (object id, UPN, SMTP address or alias) names; null when there is none.</summary>
    public ExchangeMailbox? Mailbox(string tenantId, string identity)
    {
        var data = context.State.Tenant(tenantId).Data;
        lock (data.Gate)
        {
            return Mailboxes.Find(data, identity, context.Time.GetUtcNow()) is { } found ? ToPublic(found.User, found.Mailbox) : null;
        }
    }

    /// <summary>Every mailbox of the tenant, in the order its users were created.</summary>
    public IReadOnlyList<ExchangeMailbox> AllMailboxes(string tenantId)
    {
        var data = context.State.Tenant(tenantId).Data;
        lock (data.Gate)
        {
            return [.. Mailboxes.All(data, context.Time.GetUtcNow()).Select(m => ToPublic(m.User, m.Mailbox))];
        }
    }

    /// <summary>The next <paramref name="count"/> InvokeCommand calls for the tenant fail with <paramref name="fault"/>.</summary>
    public void FailNext(string tenantId, ExchangeFault fault, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var queue = faults.GetOrAdd(tenantId, _ => new ConcurrentQueue<ExchangeFault>());
        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(fault);
        }
    }

    /// <summary>Forgets injected failures that were not used up.</summary>
    public void ClearFaults() => faults.Clear();

    internal ExchangeFault? TakeFault(string tenantId) =>
        faults.TryGetValue(tenantId, out var queue) && queue.TryDequeue(out var fault) ? fault : null;

    internal void Record(ExchangeCall call) => calls.Enqueue(call);

    /// <summary>Takes one request from the tenant's Exchange budget (when the tenant's realism throttles).</summary>
    internal bool TryTake(EmulatedTenant tenant, out TimeSpan retryAfter, out double remaining)
    {
        var realism = tenant.Data.Realism;
        if (!realism.ThrottlingEnabled)
        {
            retryAfter = TimeSpan.Zero;
            remaining = realism.ExchangeBudget;
            return true;
        }

        lock (buckets)
        {
            if (!buckets.TryGetValue(tenant.TenantId, out var entry) || !ReferenceEquals(entry.Realism, realism))
            {
                entry = (realism, new WriteBucket(realism.ExchangeBudget, realism.ExchangeBudgetWindow, context.Time.GetUtcNow()));
                buckets[tenant.TenantId] = entry;
            }

            var taken = entry.Bucket.TryTake(context.Time.GetUtcNow(), out retryAfter, out var usage);
            remaining = Math.Max(0, Math.Floor(realism.ExchangeBudget * (1 - usage)));
            return taken;
        }
    }

    private static ExchangeMailbox ToPublic(State.DirectoryUser user, MailboxState m) => new(
        m.UserId, user.UserPrincipalName, Mailboxes.PrimarySmtp(user), m.RecipientTypeDetails, m.ArchiveGuid != Guid.Empty,
        m.ForwardingSmtpAddress, m.ForwardingAddress, m.DeliverToMailboxAndForward, m.AutoReply.State, m.AutoReply.ExternalAudience);
}
