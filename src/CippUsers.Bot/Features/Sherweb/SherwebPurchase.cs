using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CippUsers.Bot.Access;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Graph;
using CippUsers.Graph.Sherweb;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Features.Sherweb;

/// Sherweb licence purchase inside Add User (cipp-behaviour.md §1.13). Hooks: <see cref="AddToFormAsync"/> where the card
/// is built, <see cref="ValidateAsync"/> on submit, <see cref="AddToConfirmationAsync"/> on the confirmation card, and
/// <see cref="AfterProvisioningAsync"/> in the create job. After the user exists, the chosen subscription's quantity is
/// raised by one (<see cref="SherwebSeats"/>: serialised per subscription, never sent twice, a lost answer reconciled)
/// and a separate pending operation (<see cref="ActionId"/>) waits for the seat in a Hangfire job
/// (<see cref="SherwebLicenseJob"/>), then assigns the licence and posts the result. The tech is told what is known:
/// bought, not bought, or unknown (with the subscription to check).
internal sealed class SherwebPurchase(
    SherwebClient sherweb,
    SherwebSeats seats,
    LicenseOperations licenses,
    CustomerTenants tenants,
    AccessPolicy policy,
    PendingOperationStore operations,
    OperationAudit audit,
    AuditLog auditLog,
    JobScheduler jobs,
    IOptions<SherwebPurchaseOptions> options,
    TimeProvider time,
    ILogger<SherwebPurchase> log)
{
    /// The pending operation that tracks one purchase and its later licence assignment.
    public const string ActionId = "sherweb-license";

    // Card input ids / stored parameter keys (the Add User form keeps every key with this prefix).
    public const string Prefix = "sherweb.";
    public const string PurchaseKey = Prefix + "purchase";
    public const string SubscriptionKey = Prefix + "subscription";

    // Keys of the purchase operation's parameters.
    internal const string ParentKey = "parentOperationId";
    internal const string UserIdKey = "userId";
    internal const string LicensesKey = "licenses";
    internal const string SubscriptionIdKey = "subscriptionId";
    internal const string SubscriptionLabelKey = "subscription";
    internal const string QuantityKey = "newQuantity";
    internal const string AmendmentKey = "amendmentId";
    internal const string ChecksKey = "checks";

    /// False while it is unknown whether Sherweb made the purchase (its answer was lost); the assignment job re-checks.
    internal const string ConfirmedKey = "confirmed";

    internal const string LicensesStep = nameof(ProvisioningStepKind.Licenses);
    internal const string PurchaseStep = "Sherweb";

    private static readonly TimeSpan SubscriptionCacheTime = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<SherwebSubscription> Items)> subscriptionCache = new(StringComparer.OrdinalIgnoreCase);

    public static bool Requested(AddUserForm form) => bool.TryParse(form[PurchaseKey], out var on) && on;

    /// Adds the purchase section when the tenant takes part, the caller may buy, and one of its licences has 0 available.
    public async Task AddToFormAsync(AdaptiveCard card, CustomerTenant tenant, Caller? caller, IReadOnlyList<LicenseSku> skus,
        AddUserForm form, IReadOnlyDictionary<string, string> errors, CancellationToken ct)
    {
        var soldOut = SoldOut(skus);
        if (!sherweb.IsEnabledFor(tenant.TenantId) || soldOut.Count == 0 || (caller is not null && RoleRefusal(caller.AadObjectId, tenant) is not null))
        {
            // No section to show them under (e.g. a purchase forged onto a card that never offered one).
            foreach (var error in errors.Where(e => e.Key.StartsWith(Prefix, StringComparison.Ordinal)))
                card.Add(new TextBlock(error.Value) { Color = TextColor.Attention, Size = TextSize.Small });
            return;
        }
        var subscriptions = await SubscriptionsAsync(tenant.TenantId, ct);
        card.Add(subscriptions.Succeeded
            ? SherwebCards.PurchaseSection(soldOut, subscriptions.Value!, Requested(form), form[SubscriptionKey], errors)
            : SherwebCards.Unavailable(subscriptions.Failure.Message));
    }

    /// Server-side checks of the purchase fields (card data is untrusted). Field id → message; empty when no purchase.
    public async Task<IReadOnlyDictionary<string, string>> ValidateAsync(CustomerTenant tenant, Caller caller, AddUserForm form, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Requested(form))
            return errors;
        if (!sherweb.IsEnabledFor(tenant.TenantId))
        {
            errors[PurchaseKey] = $"Sherweb purchase is not set up for {tenant.DisplayName}.";
            return errors;
        }
        if (RoleRefusal(caller.AadObjectId, tenant) is { } refusal)
        {
            errors[PurchaseKey] = refusal;
            return errors;
        }

        var skus = await licenses.ListSkusAsync(tenant.TenantId, ct);
        if (skus.Succeeded && !form.LicenseList.Any(id => SoldOut(skus.Value!).Any(s => s.SkuId == id)))
            errors[PurchaseKey] = "None of the chosen licenses has 0 available, so nothing needs to be bought. Choose the sold-out license or turn purchase off.";

        var subscriptionId = form[SubscriptionKey];
        if (subscriptionId is null)
        {
            errors[SubscriptionKey] = "Choose the Sherweb subscription to add a seat to.";
            return errors;
        }
        var subscriptions = await SubscriptionsAsync(tenant.TenantId, ct);
        if (!subscriptions.Succeeded)
            errors[SubscriptionKey] = subscriptions.Failure.Message;
        else if (!subscriptions.Value!.Any(s => string.Equals(s.Id, subscriptionId, StringComparison.OrdinalIgnoreCase)))
            errors[SubscriptionKey] = $"That is not one of {tenant.DisplayName}'s Sherweb subscriptions.";
        return errors;
    }

    /// Says on the confirmation card that confirming buys a seat (it costs money).
    public async Task<AdaptiveCard> AddToConfirmationAsync(AdaptiveCard card, CustomerTenant tenant, AddUserForm form, CancellationToken ct)
    {
        if (!Requested(form) || form[SubscriptionKey] is not { } subscriptionId)
            return card;
        var subscriptions = await SubscriptionsAsync(tenant.TenantId, ct);
        var label = subscriptions.Value?.FirstOrDefault(s => string.Equals(s.Id, subscriptionId, StringComparison.OrdinalIgnoreCase))?.Label ?? "the chosen subscription";
        return card.Add(SherwebCards.PurchaseNotice(label, options.Value.AssignmentCheck));
    }

    /// Runs after the create job's steps: when a purchase was asked for and the user exists but the licences could not be
    /// assigned, buys one seat and schedules the assignment. Returns the step results to store (the Licenses step says
    /// what happened; a successful purchase adds a Sherweb step). Never buys twice for one Add User operation.
    public async Task<List<TargetResult>> AfterProvisioningAsync(PendingOperation op, string? createdUserId, IReadOnlyList<TargetResult> results, CancellationToken ct)
    {
        var list = results.ToList();
        var form = AddUserForm.FromParameters(op.Parameters);
        if (!Requested(form) || createdUserId is null)
            return list;
        var licensesStep = list.FindIndex(r => r.TargetId == LicensesStep);
        if (licensesStep < 0)
            return list;
        if (list[licensesStep].Succeeded)
        {
            list.Add(new TargetResult(PurchaseStep, "Sherweb purchase", true, "Not needed: a seat was free when the user was created, so nothing was bought."));
            return list;
        }

        var notAssigned = list[licensesStep].Message;
        var tenant = tenants.Find(op.TenantId);
        var refusal = tenant is null ? "The tenant is no longer managed."
            : !sherweb.IsEnabledFor(op.TenantId) ? $"Sherweb purchase is not set up for {tenant.DisplayName}."
            : RoleRefusal(op.RequesterAadObjectId, tenant);
        if (refusal is not null || form[SubscriptionKey] is not { } subscriptionId)
        {
            list[licensesStep] = list[licensesStep] with { Message = $"{notAssigned} No licence was bought: {refusal ?? "no Sherweb subscription was chosen."}" };
            return list;
        }

        var purchaseId = PurchaseOperationId(op.Id);
        var purchase = await operations.GetAsync(purchaseId, ct);
        if (purchase is { State: OperationState.Running, Results.Count: 0 } && purchase.Parameters[QuantityKey] is not null)
        {
            // An earlier run stopped (restart, crash) after deciding the quantity, maybe after sending it: never send again.
            var label = purchase.Parameters[SubscriptionLabelKey]?.GetValue<string>() ?? "the Sherweb subscription";
            var asked = purchase.Parameters[QuantityKey]!.GetValue<int>();
            return await ReportAsync(purchase, op, list, licensesStep, false,
                $"Unknown whether a seat was bought: the bot stopped while raising {label} to {asked} seats, before Sherweb's answer was seen. "
                + $"The request was not sent again, so nothing can be bought twice. Check Sherweb subscription {subscriptionId} before buying by hand; "
                + "the bot keeps checking it.", ct);
        }

        if (purchase is not null && purchase is not { State: OperationState.Running, Results.Count: 0 })
        {
            list[licensesStep] = list[licensesStep] with { Message = $"{notAssigned} A Sherweb purchase was already made for this request ({purchase.State}); not buying again." };
            return list;
        }

        if (purchase is null)
        {
            var now = time.GetUtcNow();
            purchase = new PendingOperation
            {
                Id = purchaseId,
                RequesterAadObjectId = op.RequesterAadObjectId,
                RequesterName = op.RequesterName,
                TenantId = op.TenantId,
                TenantName = op.TenantName,
                ActionId = ActionId,
                Targets = op.Targets,
                Parameters = new JsonObject
                {
                    [ParentKey] = op.Id.ToString(),
                    [UserIdKey] = createdUserId,
                    [LicensesKey] = new JsonArray([.. form.LicenseList.Select(id => (JsonNode)id.ToString())]),
                    [SubscriptionIdKey] = subscriptionId,
                    [ChecksKey] = 0,
                },
                State = OperationState.Running,
                CreatedAt = now,
                ExpiresAt = now.AddDays(2),
                UpdatedAt = now,
                RequestConversation = op.RequestConversation,
                CorrelationId = op.CorrelationId ?? op.Id.ToString(),
            };
            // The record is the guard against buying twice: a re-run of the create job finds it and stops above.
            await operations.CreateAsync(purchase, ct);
        }
        // else: an earlier run stopped before it chose a quantity, so nothing was sent; carry on with its record.

        var bought = await seats.BuyOneAsync(op.TenantId, subscriptionId, async (subscription, quantity) =>
        {
            purchase = await operations.TryTransitionAsync(purchaseId, OperationState.Running, purchase.Version, o => o with
            {
                Parameters = Merge(o.Parameters, new JsonObject { [SubscriptionLabelKey] = subscription.Label, [QuantityKey] = quantity, [ConfirmedKey] = false }),
            }, ct) ?? purchase;
        }, ct);
        if (bought.Outcome == SeatPurchaseOutcome.NotBought)
        {
            var failed = new TargetResult("purchase", "Sherweb purchase", false, bought.Message);
            var stored = await operations.TryTransitionAsync(purchaseId, OperationState.Running, purchase.Version, o => o with { State = OperationState.Failed, Results = [failed] }, ct);
            await audit.TargetAsync(stored ?? purchase, failed, ct);
            log.LogInformation("Sherweb purchase for Add user {OperationId} not made", op.Id);
            list[licensesStep] = list[licensesStep] with { Message = $"{notAssigned} The Sherweb purchase failed, nothing was bought: {bought.Message}" };
            return list;
        }

        purchase = await operations.TryTransitionAsync(purchaseId, OperationState.Running, purchase.Version, o => o with
        {
            Parameters = Merge(o.Parameters, new JsonObject
            {
                [SubscriptionLabelKey] = bought.Label,
                [QuantityKey] = bought.NewQuantity,
                [AmendmentKey] = bought.AmendmentId,
            }),
        }, ct) ?? purchase;
        return await ReportAsync(purchase, op, list, licensesStep, bought.Outcome == SeatPurchaseOutcome.Bought, bought.Message, ct);
    }

    /// Records a purchase that was made (<paramref name="known"/>) or may have been, audits it once, schedules the
    /// assignment job and says so in the Add User steps.
    private async Task<List<TargetResult>> ReportAsync(PendingOperation purchase, PendingOperation op, List<TargetResult> list, int licensesStep, bool known, string message, CancellationToken ct)
    {
        var check = options.Value.AssignmentCheck;
        var done = new TargetResult("purchase", "Sherweb purchase", known, message);
        var updated = await operations.TryTransitionAsync(purchase.Id, OperationState.Running, purchase.Version, o => o with
        {
            Parameters = Merge(o.Parameters, new JsonObject { [ConfirmedKey] = known }),
            Results = [done],
        }, ct);
        if (known)
            await audit.TargetAsync(updated ?? purchase, done, ct);
        else
            await AuditUnknownAsync(updated ?? purchase, done, ct);
        jobs.Schedule<SherwebLicenseJob>(purchase.Id, time.GetUtcNow() + check.DelayBefore(1));
        log.LogInformation("Sherweb purchase {PurchaseId} for Add user {OperationId}: {Outcome}; assignment scheduled", purchase.Id, op.Id, known ? "bought" : "unknown");

        list.Add(new TargetResult(PurchaseStep, "Sherweb purchase", known, message));
        list[licensesStep] = list[licensesStep] with
        {
            Message = $"Waiting for the purchased seat: the license is assigned as soon as it shows in the tenant (checked for up to {SherwebCards.Describe(check.TotalWait)}); the result is posted here.",
        };
        return list;
    }

    /// Audits a purchase whose outcome is not known (its answer was lost): outcome "unknown", never a guess.
    internal Task AuditUnknownAsync(PendingOperation purchase, TargetResult result, CancellationToken ct) =>
        auditLog.AppendAsync(new AuditEntry(0, time.GetUtcNow(), purchase.RequesterAadObjectId, purchase.RequesterName, purchase.TenantId, purchase.ActionId,
            result.TargetId, result.DisplayName, "unknown", result.Message, OperationAudit.PublicParameters(purchase.Parameters),
            purchase.CorrelationId ?? purchase.Id.ToString(), purchase.Id), ct);

    /// The purchase operation's id for an Add User operation: derived, so at most one purchase exists per request.
    public static Guid PurchaseOperationId(Guid addUserOperationId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{ActionId}:{addUserOperationId:N}")).AsSpan(0, 16));

    /// Null when the caller may buy in this tenant; otherwise why not.
    internal string? RoleRefusal(string aadObjectId, CustomerTenant tenant)
    {
        var allowed = options.Value.Roles;
        if (allowed.Count == 0)
            return null;
        var held = policy.For(aadObjectId).RolesIn(new TenantRef(tenant.TenantId, tenant.DefaultDomain, tenant.DisplayName));
        return allowed.Any(r => CallerAccess.Satisfies(held, r))
            ? null
            : $"Buying licences through Sherweb needs the {string.Join(" or ", allowed.Select(r => r.ToString().ToLowerInvariant()))} role; you are {AccessPolicy.Describe(held)}.";
    }

    private static List<LicenseSku> SoldOut(IReadOnlyList<LicenseSku> skus) => [.. skus.Where(s => s.AssignableToUsers && s.Available == 0)];

    private async Task<GraphResult<IReadOnlyList<SherwebSubscription>>> SubscriptionsAsync(string tenantId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (subscriptionCache.TryGetValue(tenantId, out var hit) && now - hit.At < SubscriptionCacheTime)
            return GraphResult<IReadOnlyList<SherwebSubscription>>.Ok(hit.Items);
        var fresh = await sherweb.ListSubscriptionsAsync(tenantId, ct);
        if (fresh.Succeeded)
            subscriptionCache[tenantId] = (now, fresh.Value!);
        return fresh;
    }

    private static JsonObject Merge(JsonObject current, JsonObject extra)
    {
        var merged = current.DeepClone().AsObject();
        foreach (var (key, value) in extra)
            merged[key] = value?.DeepClone();
        return merged;
    }
}
