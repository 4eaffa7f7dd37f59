namespace CippUsers.TenantEmulator;

/// <summary>How closely a tenant imitates Graph's timing, limits and failures. Everything is off except the write budget.</summary>
public sealed class RealismSettings
{
    /// <summary>Fixed latency added to every Graph request.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Extra latency, uniformly random between zero and this value.</summary>
    public TimeSpan LatencyJitter { get; set; } = TimeSpan.Zero;

    /// <summary>Whether writes draw from the write budget (token bucket per app and tenant).</summary>
    public bool ThrottlingEnabled { get; set; } = true;

    /// <summary>Bucket size: writes allowed in one window (Graph: 3,000 per 150 s per app and tenant).</summary>
    public int WriteBudget { get; set; } = 3000;

    /// <summary>Time in which an empty bucket refills completely.</summary>
    public TimeSpan WriteBudgetWindow { get; set; } = TimeSpan.FromSeconds(150);

    /// <summary>
    /// Exchange Online admin API requests allowed per tenant in <see cref="ExchangeBudgetWindow"/> while
    /// <see cref="ThrottlingEnabled"/>; above it InvokeCommand answers 429 with Retry-After. Exchange reports its limit as
    /// Rate-Limit-Limit: 30000; the window is the emulator's choice.
    /// </summary>
    public int ExchangeBudget { get; set; } = 30_000;

    /// <summary>Time in which an empty Exchange budget refills completely.</summary>
    public TimeSpan ExchangeBudgetWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a just-created user answers 404 to follow-up calls and is missing from $search.</summary>
    public TimeSpan ReplicationDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Share of Graph requests (0..1) that fail with an injected fault.</summary>
    public double FaultRate { get; set; }

    /// <summary>Which faults are injected, chosen at random among these.</summary>
    public IList<InjectedFault> Faults { get; set; } = [InjectedFault.ServiceUnavailable, InjectedFault.GatewayTimeout, InjectedFault.ConnectionReset];

    internal RealismSettings Copy() => new()
    {
        Latency = Latency,
        LatencyJitter = LatencyJitter,
        ThrottlingEnabled = ThrottlingEnabled,
        WriteBudget = WriteBudget,
        WriteBudgetWindow = WriteBudgetWindow,
        ReplicationDelay = ReplicationDelay,
        ExchangeBudget = ExchangeBudget,
        ExchangeBudgetWindow = ExchangeBudgetWindow,
        FaultRate = FaultRate,
        Faults = [.. Faults],
    };

    internal void Validate()
    {
        if (Latency < TimeSpan.Zero || LatencyJitter < TimeSpan.Zero || ReplicationDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("Latency, jitter and replication delay cannot be negative.");
        }

        if (WriteBudget < 1 || WriteBudgetWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException("The write budget needs at least one write and a positive window.");
        }

        if (ExchangeBudget < 1 || ExchangeBudgetWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException("The Exchange budget needs at least one request and a positive window.");
        }

        if (FaultRate is < 0 or > 1 || (FaultRate > 0 && Faults.Count == 0))
        {
            throw new ArgumentException("Fault rate must be between 0 and 1, with at least one fault kind when above 0.");
        }
    }
}

/// <summary>A failure the emulator can inject instead of answering.</summary>
public enum InjectedFault
{
    /// <summary>503 with Retry-After.</summary>
    ServiceUnavailable,

    /// <summary>504 gateway timeout.</summary>
    GatewayTimeout,

    /// <summary>The connection is dropped without an answer.</summary>
    ConnectionReset,
}
