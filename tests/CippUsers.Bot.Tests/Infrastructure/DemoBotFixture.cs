namespace CippUsers.Bot.Tests.Infrastructure;

/// <summary>One demo-mode bot shared by a test class (<c>IClassFixture&lt;DemoBotFixture&gt;</c>).</summary>
public sealed class DemoBotFixture : IAsyncLifetime
{
    public BotHarness Bot { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Bot = await BotHarness.StartAsync();

    public ValueTask DisposeAsync() => Bot.DisposeAsync();
}
