using CippUsers.TenantEmulator;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Bot.Tests.Infrastructure;

/// <summary>
/// The real bot over HTTP pointed at a tenant emulator the fixture owns, both started once per test class and stopped
/// together. A derived fixture chooses the emulator's settings and adds the bot's (roles, storage, feature options);
/// <see cref="Configure"/> runs after the emulator is up, so it may read <see cref="Emulator"/>.
/// </summary>
public abstract class EmulatorBotFixture : IAsyncLifetime
{
    public EmulatorHost Emulator { get; private set; } = null!;

    public BotHarness Bot { get; private set; } = null!;

    public T Get<T>() where T : notnull => Bot.Services.GetRequiredService<T>();

    protected virtual EmulatorSettings EmulatorSettings => new() { IncludeLargeTenant = false };

    protected abstract void Configure(BotHarnessOptions options);

    public async ValueTask InitializeAsync()
    {
        Emulator = await EmulatorHost.StartAsync(EmulatorSettings);
        Bot = await BotHarness.StartAsync(options =>
        {
            options.UseEmulatorHost(Emulator);
            Configure(options);
        });
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (Bot is not null)
        {
            await Bot.DisposeAsync();
        }

        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }
    }
}
