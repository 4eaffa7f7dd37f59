using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Storage;
using CippUsers.Graph;
using CippUsers.Graph.Sherweb;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Features.Sherweb;

/// What became of one seat purchase.
internal enum SeatPurchaseOutcome
{
    /// Sherweb accepted the quantity change (or, after a lost answer, the subscription shows it).
    Bought,

    /// Refused or never sent: nothing was bought.
    NotBought,

    /// Sent, the answer was lost, and the subscription did not show the new quantity while the bot looked.
    Unknown,
}

/// <param name="FromQuantity">The quantity the change was measured against (the details', or an earlier purchase still being processed).</param>
internal sealed record SeatPurchase(SeatPurchaseOutcome Outcome, SherwebSubscription? Subscription, int FromQuantity, int NewQuantity, string? AmendmentId, string Message)
{
    public string Label => Subscription?.Label ?? "the Sherweb subscription";
}

/// <summary>
/// Buys one seat on a Sherweb subscription so that N purchases raise its quantity by exactly N, whichever bot instance
/// makes them. Sherweb's amendment sets an ABSOLUTE quantity and is processed later, and its API has no concurrency guard
/// (no ETag or expected quantity), so:
/// <list type="number">
/// <item>purchases on one subscription are serialised across instances by the jobs' shared per-key lock
/// (<see cref="OperationLocks"/>: a PostgreSQL advisory lock, or a lease row on SQLite);</item>
/// <item>inside the lock the quantity is re-read, and the last quantity this bot asked for (a small ledger in the
/// database, written before the request is sent) wins over it while that amendment is still being processed, because
/// subscriptions/details only shows a change once Sherweb has processed it;</item>
/// <item>an amendment whose answer is lost is never repeated: the subscription is re-read until it shows the asked-for
/// quantity (bought) or <see cref="SherwebPurchaseOptions.AnswerReconcileWait"/> passes (unknown, and the ledger keeps
/// counting it so that a later purchase cannot under-buy).</item>
/// </list>
/// </summary>
internal sealed class SherwebSeats(
    SherwebClient sherweb,
    OperationLocks locks,
    PreferenceStore store,
    IOptions<SherwebPurchaseOptions> options,
    TimeProvider time,
    ILogger<SherwebSeats> log)
{
    private const string LedgerScope = "sherweb-subscription-ledger";

    // Sherweb's amendment states that mean "done, one way or the other" (details now show the truth).
    private static readonly string[] Settled = ["Success", "Failure", "Canceled", "PartialSuccess"];

    /// Raises the subscription by one seat, one purchase per subscription at a time across every bot instance.
    /// <paramref name="recordIntent"/> runs just before the request is sent (subscription, quantity asked for), so that a
    /// run that dies waiting for the answer leaves a record a re-run can reconcile instead of buying again.
    public async Task<SeatPurchase> BuyOneAsync(string tenantId, string subscriptionId, Func<SherwebSubscription, int, Task> recordIntent, CancellationToken ct)
    {
        await using var held = await LockAsync(tenantId, subscriptionId, ct);
        if (held is null)
        {
            return new SeatPurchase(SeatPurchaseOutcome.NotBought, null, 0, 0, null,
                $"Another purchase on this Sherweb subscription took longer than {SherwebCards.Describe(options.Value.PurchaseLockTimeout)}, so nothing was bought. Try again later.");
        }

        var read = await sherweb.GetSubscriptionAsync(tenantId, subscriptionId, ct);
        if (!read.Succeeded)
            return new SeatPurchase(SeatPurchaseOutcome.NotBought, null, 0, 0, null, read.Failure.Message);
        var subscription = read.Value!;
        var ledger = await store.GetAsync(LedgerScope, LedgerKey(tenantId, subscriptionId), ct);
        var (from, pending) = await BaseQuantityAsync(tenantId, subscription, ledger, ct);
        var newQuantity = from + 1;

        // Written before sending: if this process dies with the answer in flight, the next purchase still counts it.
        await SaveLedgerAsync(tenantId, subscriptionId, newQuantity, null, "sent", ct);
        await recordIntent(subscription, newQuantity);
        var result = await sherweb.SetQuantityAsync(tenantId, subscription, newQuantity, ct);
        var earlier = pending ? $" (an earlier purchase to {from} seats is still being processed by Sherweb)" : "";
        switch (result.Outcome)
        {
            case SherwebWriteOutcome.Accepted:
                var amendment = result.Amendment!;
                await SaveLedgerAsync(tenantId, subscriptionId, newQuantity, amendment.AmendmentId, "accepted", ct);
                return new SeatPurchase(SeatPurchaseOutcome.Bought, subscription, from, newQuantity, amendment.AmendmentId,
                    $"Raised {subscription.Label} from {from} to {newQuantity} seats{earlier} (Sherweb amendment {amendment.AmendmentId}).");

            case SherwebWriteOutcome.Refused:
                // Nothing changed: put the ledger back as it was, so the next purchase is measured as before.
                if (ledger is not null)
                    await store.SetAsync(LedgerScope, LedgerKey(tenantId, subscriptionId), ledger, ct);
                else
                    await SaveLedgerAsync(tenantId, subscriptionId, subscription.Quantity, null, "refused", ct);
                return new SeatPurchase(SeatPurchaseOutcome.NotBought, subscription, from, newQuantity, null, result.Failure!.Message);

            default:
                return await ReconcileAsync(tenantId, subscription, from, newQuantity, result.Failure!, ct);
        }
    }

    /// True when the subscription now shows at least <paramref name="quantity"/> seats; null when Sherweb cannot be asked.
    public async Task<bool?> ShowsAsync(string tenantId, string subscriptionId, int quantity, CancellationToken ct)
    {
        var read = await sherweb.GetSubscriptionAsync(tenantId, subscriptionId, ct);
        return read.Succeeded ? read.Value!.Quantity >= quantity : null;
    }

    /// The lock key of a subscription (a Guid, as the jobs' locks take).
    internal static Guid LockId(string tenantId, string subscriptionId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"sherweb-subscription:{tenantId.ToUpperInvariant()}:{subscriptionId.ToUpperInvariant()}")).AsSpan(0, 16));

    /// After a lost answer: re-read until the asked-for quantity shows (bought) or the wait is over (unknown). Never re-sent.
    private async Task<SeatPurchase> ReconcileAsync(string tenantId, SherwebSubscription subscription, int from, int newQuantity, GraphFailure lost, CancellationToken ct)
    {
        var wait = options.Value.AnswerReconcileWait;
        var interval = TimeSpan.FromTicks(Math.Clamp(wait.Ticks / 10, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks));
        var deadline = time.GetUtcNow() + wait;
        var seen = subscription.Quantity;
        while (true)
        {
            var read = await sherweb.GetSubscriptionAsync(tenantId, subscription.Id, ct);
            if (read.Succeeded)
            {
                seen = read.Value!.Quantity;
                if (seen >= newQuantity)
                {
                    await SaveLedgerAsync(tenantId, subscription.Id, newQuantity, null, "confirmed", ct);
                    log.LogInformation("Sherweb purchase on subscription {SubscriptionId}: answer lost, but the subscription shows the new quantity", subscription.Id);
                    return new SeatPurchase(SeatPurchaseOutcome.Bought, subscription, from, newQuantity, null,
                        $"Raised {subscription.Label} from {from} to {newQuantity} seats. Sherweb's answer was lost, but re-reading the subscription "
                        + $"shows {seen} seats, so the purchase went through; it was not sent again.");
                }
            }

            if (time.GetUtcNow() + interval > deadline)
                break;
            await Task.Delay(interval, time, ct);
        }

        await SaveLedgerAsync(tenantId, subscription.Id, newQuantity, null, "unknown", ct);
        log.LogWarning("Sherweb purchase on subscription {SubscriptionId}: answer lost and the new quantity not shown; outcome unknown", subscription.Id);
        return new SeatPurchase(SeatPurchaseOutcome.Unknown, subscription, from, newQuantity, null,
            $"Unknown whether a seat was bought: {lost.Message} The request was not sent again, so nothing can be bought twice. "
            + $"Sherweb still shows {seen} seats on {subscription.Label} after {SherwebCards.Describe(wait)}; it shows {newQuantity} if the purchase went through "
            + $"(Sherweb may still be processing it). Check Sherweb subscription {subscription.Id} before buying by hand.");
    }

    /// The quantity to add to: the details' quantity, unless an amendment this bot sent is still being processed (then the
    /// quantity it asked for, which the details do not show yet).
    private async Task<(int Quantity, bool Pending)> BaseQuantityAsync(string tenantId, SherwebSubscription subscription, JsonObject? ledger, CancellationToken ct)
    {
        var asked = ledger?["quantity"]?.GetValue<int>();
        var at = ledger?["at"]?.GetValue<long>();
        if (asked is not { } quantity || quantity <= subscription.Quantity || at is not { } sentAt
            || DateTimeOffset.FromUnixTimeMilliseconds(sentAt) + options.Value.PendingAmendmentWindow < time.GetUtcNow())
            return (subscription.Quantity, false);

        if (ledger?["amendmentId"]?.GetValue<string>() is { Length: > 0 } amendmentId)
        {
            var status = await sherweb.AmendmentStatusAsync(tenantId, amendmentId, ct);
            if (status.Succeeded && Settled.Contains(status.Value, StringComparer.OrdinalIgnoreCase))
                return (subscription.Quantity, false);
        }

        // Still processing, or sent without a known answer: count it, so that this purchase cannot under-buy. If the
        // earlier one never went through, this one buys its seat too, and its waiting assignment takes that seat.
        return (quantity, true);
    }

    private Task SaveLedgerAsync(string tenantId, string subscriptionId, int quantity, string? amendmentId, string state, CancellationToken ct) =>
        store.SetAsync(LedgerScope, LedgerKey(tenantId, subscriptionId), new JsonObject
        {
            ["quantity"] = quantity,
            ["amendmentId"] = amendmentId,
            ["state"] = state,
            ["at"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
        }, ct);

    private static string LedgerKey(string tenantId, string subscriptionId) => $"{tenantId.ToLowerInvariant()}:{subscriptionId.ToLowerInvariant()}";

    /// The subscription's lock, waited for up to Sherweb:PurchaseLockTimeout; null when it could not be had in time.
    private async Task<IAsyncDisposable?> LockAsync(string tenantId, string subscriptionId, CancellationToken ct)
    {
        var id = LockId(tenantId, subscriptionId);
        var deadline = time.GetUtcNow() + options.Value.PurchaseLockTimeout;
        while (true)
        {
            try
            {
                return await locks.AcquireAsync(id, ct);
            }
            catch (OperationLockedException) when (time.GetUtcNow() < deadline)
            {
                // Held by another purchase on this subscription (this or another instance): keep waiting.
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, ct);
            }
            catch (OperationLockedException)
            {
                log.LogWarning("Sherweb purchase lock for subscription {SubscriptionId} not obtained within {Timeout}", subscriptionId, options.Value.PurchaseLockTimeout);
                return null;
            }
        }
    }
}
