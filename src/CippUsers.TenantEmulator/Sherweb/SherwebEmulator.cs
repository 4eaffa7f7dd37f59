using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Graph;
using CippUsers.TenantEmulator.Hosting;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Sherweb;

/// <summary>A Sherweb subscription as the emulator holds it (a copy; <see cref="Quantity"/> as the details answer now).</summary>
/// <param name="SkuPartNumber">The Graph SKU whose seats this subscription buys, or null for a product that is not a licence.</param>
public sealed record SherwebSubscription(string Id, string CustomerId, string ProductName, string Sku, int Quantity, string? SkuPartNumber);

/// <summary>An accepted quantity change and where it stands.</summary>
public sealed record SherwebAmendment(string Id, string RequestTrackingId, string CustomerId, string SubscriptionId, int PreviousQuantity, int NewQuantity, DateTimeOffset AcceptedAt, string Status);

/// <summary>
/// In-process access to the emulated Sherweb partner API: customers mapped to the seeded tenants, their subscriptions,
/// accepted amendments, delays and injected failures. Amendments are processed after
/// <see cref="SherwebSettings.AmendmentProcessingDelay"/>; the changed seats reach the tenant's Graph subscribedSkus after
/// <see cref="SherwebSettings.SeatProvisioningDelay"/> (timers on the emulator's clock, so a FakeTimeProvider drives them).
/// </summary>
public sealed class SherwebEmulator : IDisposable
{
    // Product catalogue of the seeded tenants' SKUs: name and an NCE-style Sherweb SKU (emulator values).
    private static readonly Dictionary<string, (string Name, string Sku)> Products = new(StringComparer.OrdinalIgnoreCase)
    {
        ["O365_BUSINESS_ESSENTIALS"] = ("Microsoft 365 Business Basic", "CFQ7TTC0LH18:0001"),
        ["O365_BUSINESS_PREMIUM"] = ("Microsoft 365 Business Standard", "CFQ7TTC0LDPB:0001"),
        ["SPB"] = ("Microsoft 365 Business Premium", "CFQ7TTC0LCHC:0002"),
        ["EXCHANGESTANDARD"] = ("Exchange Online (Plan 1)", "CFQ7TTC0LH16:0001"),
        ["SPE_E3"] = ("Microsoft 365 E3", "CFQ7TTC0LFLZ:0001"),
        ["SPE_E5"] = ("Microsoft 365 E5", "CFQ7TTC0LFLX:0001"),
        ["SPE_F1"] = ("Microsoft 365 F3", "CFQ7TTC0LGTX:0001"),
        ["ENTERPRISEPACK"] = ("Office 365 E3", "CFQ7TTC0LF8Q:0001"),
    };

    private static readonly DateTimeOffset PurchasedOn = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly EmulatorContext context;
    private readonly Lock gate = new();
    private readonly List<Customer> customers;
    private readonly List<Amendment> amendments = [];
    private readonly List<ITimer> timers = [];
    private readonly Queue<InjectedProblem> failures = new();
    private readonly Queue<int?> lostAnswers = new();
    private TimeSpan processingDelay;
    private TimeSpan seatDelay;

    internal SherwebEmulator(EmulatorContext context)
    {
        this.context = context;
        Settings = context.Settings.Sherweb;
        processingDelay = Settings.AmendmentProcessingDelay;
        seatDelay = Settings.SeatProvisioningDelay;
        customers = [.. context.State.All
            .Select(t => (Tenant: t, CustomerId: SherwebCustomers.ForTenant(t.TenantId)))
            .Where(x => x.CustomerId is not null)
            .Select(x => new Customer(x.CustomerId!, x.Tenant.Info.DisplayName, x.Tenant))];
    }

    /// <summary>The credentials this API accepts (test values) and the delays it started with.</summary>
    public SherwebSettings Settings { get; }

    /// <summary>Customer id → tenant id of every customer served.</summary>
    public IReadOnlyDictionary<string, string> CustomerTenants => customers.ToDictionary(c => c.Id, c => c.Tenant.TenantId, StringComparer.OrdinalIgnoreCase);

    /// <summary>The customer's subscriptions as <c>subscriptions/details</c> would answer now; empty for an unknown customer.</summary>
    public IReadOnlyList<SherwebSubscription> Subscriptions(string customerId)
    {
        lock (gate)
        {
            var customer = Find(customerId);
            if (customer is null)
            {
                return [];
            }

            var now = context.Time.GetUtcNow();
            return [.. SubscriptionsOf(customer).Select(s => new SherwebSubscription(s.Id, customer.Id, s.ProductName, s.Sku, QuantityAt(s, now), s.PartNumber))];
        }
    }

    /// <summary>Every accepted amendment, oldest first, with its status now.</summary>
    public IReadOnlyList<SherwebAmendment> Amendments
    {
        get
        {
            lock (gate)
            {
                var now = context.Time.GetUtcNow();
                return [.. amendments.Select(a => a.ToPublic(now))];
            }
        }
    }

    /// <summary>Changes the delays for amendments accepted from now on.</summary>
    public void SetDelays(TimeSpan amendmentProcessing, TimeSpan seatProvisioning)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(amendmentProcessing, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(seatProvisioning, TimeSpan.Zero);
        lock (gate)
        {
            processingDelay = amendmentProcessing;
            seatDelay = seatProvisioning;
        }
    }

    public (TimeSpan AmendmentProcessing, TimeSpan SeatProvisioning) Delays
    {
        get
        {
            lock (gate)
            {
                return (processingDelay, seatDelay);
            }
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> amendment requests fail with this RFC 7807 problem (e.g. 400
    /// "ProductQuantityCannotBeChanged", or 500 as Sherweb answers for a customer not provisioned for Microsoft 365).
    /// </summary>
    public void FailNextAmendments(int status, string problemType, string title, string detail, int count = 1)
    {
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                failures.Enqueue(new InjectedProblem(status, problemType, title, detail));
            }
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> amendment requests are accepted (the quantity changes as for any other) but their
    /// answer is lost: the connection is dropped without a response, or, with <paramref name="status"/>, that status is
    /// answered instead of the receipt (a 502/504 from a gateway after the API committed).
    /// </summary>
    public void LoseNextAmendmentAnswers(int count = 1, int? status = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                lostAnswers.Enqueue(status);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var timer in timers)
            {
                timer.Dispose();
            }

            timers.Clear();
        }
    }

    internal string? TenantOf(string? customerId)
    {
        lock (gate)
        {
            return customerId is null ? null : Find(customerId)?.Tenant.TenantId;
        }
    }

    internal IReadOnlyList<(string Id, string DisplayName)> CustomerList() => [.. customers.Select(c => (c.Id, c.DisplayName))];

    internal bool IsCustomer(string customerId)
    {
        lock (gate)
        {
            return Find(customerId) is not null;
        }
    }

    /// <summary>The details items in Sherweb's shape.</summary>
    internal JsonArray Details(string customerId)
    {
        lock (gate)
        {
            var customer = Find(customerId)!;
            var now = context.Time.GetUtcNow();
            return [.. SubscriptionsOf(customer).Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id,
                ["productName"] = s.ProductName,
                ["description"] = s.Description,
                ["sku"] = s.Sku,
                ["quantity"] = QuantityAt(s, now),
                ["billingCycle"] = "Monthly",
                ["purchaseDate"] = PurchasedOn,
                ["commitmentTerm"] = new JsonObject
                {
                    ["type"] = "Annual",
                    ["termEndDate"] = PurchasedOn.AddYears(2),
                    ["renewalConfiguration"] = new JsonObject { ["renewalDate"] = PurchasedOn.AddYears(2), ["scheduledQuantity"] = null },
                    ["committedMinimalQuantities"] = new JsonArray(),
                },
            })];
        }
    }

    /// <summary>Validates and accepts an amendment request; returns the problem when refused.</summary>
    /// <param name="LoseAnswer">Accepted, but the answer must be lost: null = answer normally, 0 = drop the connection, else that status.</param>
    internal (Amendment[]? Accepted, InjectedProblem? Problem, int? LoseAnswer) Amend(string customerId, IReadOnlyList<(string SubscriptionId, int NewQuantity)> changes)
    {
        lock (gate)
        {
            if (failures.TryDequeue(out var injected))
            {
                return (null, injected, null);
            }

            var customer = Find(customerId)!;
            var owned = SubscriptionsOf(customer);
            if (changes.Count == 0)
            {
                return (null, new InjectedProblem(400, "SubscriptionsValidationError", "Subscriptions validation error", "subscriptionAmendmentParameters must list at least one subscription."), null);
            }

            foreach (var (subscriptionId, newQuantity) in changes)
            {
                if (!owned.Any(s => string.Equals(s.Id, subscriptionId, StringComparison.OrdinalIgnoreCase)))
                {
                    return (null, new InjectedProblem(400, "SubscriptionsValidationError", "Subscriptions validation error", $"Subscription '{subscriptionId}' was not found for customer '{customer.Id}'."), null);
                }

                if (newQuantity < 0)
                {
                    return (null, new InjectedProblem(400, "SubscriptionsValidationError", "Subscriptions validation error", "newQuantity cannot be negative."), null);
                }
            }

            var now = context.Time.GetUtcNow();
            var accepted = new List<Amendment>();
            var amendmentId = Guid.NewGuid().ToString();
            var trackingId = Guid.NewGuid().ToString();
            foreach (var (subscriptionId, newQuantity) in changes)
            {
                var subscription = owned.First(s => string.Equals(s.Id, subscriptionId, StringComparison.OrdinalIgnoreCase));
                // Quantities are absolute: the change is measured against the latest quantity already asked for.
                var previous = amendments.LastOrDefault(a => a.Subscription == subscription)?.NewQuantity ?? QuantityAt(subscription, now);
                var amendment = new Amendment(amendmentId, trackingId, customer.Id, subscription, previous, newQuantity, now, now + processingDelay);
                amendments.Add(amendment);
                accepted.Add(amendment);
                if (subscription.PartNumber is { } partNumber && newQuantity != previous)
                {
                    ScheduleSeats(customer.Tenant, partNumber, newQuantity - previous);
                }
            }

            return ([.. accepted], null, lostAnswers.TryDequeue(out var lost) ? lost ?? 0 : null);
        }
    }

    /// <summary>Status of an amendment (by amendment id) or a tracked request (by tracking id); null when unknown.</summary>
    internal string? StatusOf(string id, bool byTrackingId)
    {
        lock (gate)
        {
            var now = context.Time.GetUtcNow();
            var match = amendments.Where(a => string.Equals(byTrackingId ? a.TrackingId : a.Id, id, StringComparison.OrdinalIgnoreCase)).ToList();
            return match.Count == 0 ? null : match.Select(a => a.StatusAt(now)).FirstOrDefault(s => s != "Success") ?? "Success";
        }
    }

    private void ScheduleSeats(EmulatedTenant tenant, string partNumber, int delta)
    {
        void Apply()
        {
            var data = tenant.Data;
            lock (data.Gate)
            {
                var sku = data.Skus.FirstOrDefault(s => string.Equals(s.PartNumber, partNumber, StringComparison.OrdinalIgnoreCase));
                if (sku is not null)
                {
                    sku.Prepaid = Math.Max(0, sku.Prepaid + delta);
                }
            }
        }

        if (seatDelay <= TimeSpan.Zero)
        {
            Apply();
            return;
        }

        timers.Add(context.Time.CreateTimer(_ => Apply(), null, seatDelay, Timeout.InfiniteTimeSpan));
    }

    private Customer? Find(string customerId) => customers.FirstOrDefault(c => string.Equals(c.Id, customerId, StringComparison.OrdinalIgnoreCase));

    private int QuantityAt(Subscription subscription, DateTimeOffset now) =>
        amendments.LastOrDefault(a => a.Subscription == subscription && a.DueAt <= now)?.NewQuantity ?? subscription.SeedQuantity;

    // Built on first use, so a large tenant is only generated when its subscriptions are asked for.
    private List<Subscription> SubscriptionsOf(Customer customer)
    {
        if (customer.Subscriptions is { } built)
        {
            return built;
        }

        var data = customer.Tenant.Data;
        List<(string PartNumber, int Prepaid)> skus;
        lock (data.Gate)
        {
            skus = [.. data.Skus.Select(s => (s.PartNumber, s.Prepaid))];
        }

        var list = skus.Where(s => Products.ContainsKey(s.PartNumber))
            .Select(s => new Subscription(GraphShapes.DeterministicGuid($"sherweb:{customer.Id}:{s.PartNumber}"), Products[s.PartNumber].Name,
                $"{Products[s.PartNumber].Name}, annual commitment billed monthly", Products[s.PartNumber].Sku, s.Prepaid, s.PartNumber))
            .ToList();
        list.Add(new Subscription(GraphShapes.DeterministicGuid($"sherweb:{customer.Id}:backup"), "Sherweb Backup for Microsoft 365",
            "Cloud backup of mailboxes, OneDrive and SharePoint, per user", "SW-BKP-M365-USER", Math.Max(1, skus.Sum(s => s.Prepaid) / 2), null));
        customer.Subscriptions = list;
        return list;
    }

    private sealed class Customer(string id, string displayName, EmulatedTenant tenant)
    {
        public string Id { get; } = id;

        public string DisplayName { get; } = displayName;

        public EmulatedTenant Tenant { get; } = tenant;

        public List<Subscription>? Subscriptions { get; set; }
    }

    internal sealed record Subscription(string Id, string ProductName, string Description, string Sku, int SeedQuantity, string? PartNumber);

    internal sealed record Amendment(string Id, string TrackingId, string CustomerId, Subscription Subscription, int PreviousQuantity, int NewQuantity, DateTimeOffset AcceptedAt, DateTimeOffset DueAt)
    {
        /// <summary>Pending for the first half of the processing delay, Processing for the second, then Success.</summary>
        public string StatusAt(DateTimeOffset now) =>
            now >= DueAt ? "Success" : now >= AcceptedAt + ((DueAt - AcceptedAt) / 2) ? "Processing" : "Pending";

        public SherwebAmendment ToPublic(DateTimeOffset now) =>
            new(Id, TrackingId, CustomerId, Subscription.Id, PreviousQuantity, NewQuantity, AcceptedAt, StatusAt(now));
    }

    internal sealed record InjectedProblem(int Status, string Type, string Title, string Detail);
}
