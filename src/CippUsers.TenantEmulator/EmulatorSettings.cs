namespace CippUsers.TenantEmulator;

/// <summary>How an emulator starts.</summary>
public sealed class EmulatorSettings
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; set; } = 0;

    /// <summary>Seed for the generated tenant data. The same seed gives the same users, groups and licences.</summary>
    public int Seed { get; set; } = 20261127;

    /// <summary>Whether the 20,000-user Northwind Health tenant is served (it is generated on first use).</summary>
    public bool IncludeLargeTenant { get; set; } = true;

    public string ClientId { get; set; } = SeededTenants.DefaultClientId;

    public string ClientSecret { get; set; } = SeededTenants.DefaultClientSecret;

    /// <summary>Realism every tenant starts with.</summary>
    public RealismSettings Realism { get; set; } = new();

    /// <summary>Realism for particular tenants at start (tenant id → settings), overriding <see cref="Realism"/>.</summary>
    public IDictionary<string, RealismSettings> TenantRealism { get; } = new Dictionary<string, RealismSettings>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Lifetime of issued access tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Clock for tokens, throttling and replication delay; tests may pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The emulated Sherweb partner API (credentials, processing and seat delays).</summary>
    public Sherweb.SherwebSettings Sherweb { get; set; } = new();

    /// <summary>Most journal entries kept; older ones are dropped first.</summary>
    public int JournalCapacity { get; set; } = 200_000;
}
