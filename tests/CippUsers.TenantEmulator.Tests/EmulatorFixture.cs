namespace CippUsers.TenantEmulator.Tests;

/// <summary>One emulator (small and medium tenants) shared by the read-mostly contract tests.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public EmulatorHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Host = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
