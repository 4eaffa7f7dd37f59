using CippUsers.TenantEmulator.Auth;

namespace CippUsers.TenantEmulator.Hosting;

/// <summary>What every part of a running emulator shares.</summary>
internal sealed class EmulatorContext(EmulatorSettings settings, EmulatorState state, RequestJournal journal, TokenIssuer tokens)
{
    private readonly Random random = new(settings.Seed);

    public EmulatorSettings Settings { get; } = settings;

    public EmulatorState State { get; } = state;

    public RequestJournal Journal { get; } = journal;

    public TokenIssuer Tokens { get; } = tokens;

    public TimeProvider Time => Settings.TimeProvider;

    /// <summary>https://127.0.0.1:{port}/ once the server listens.</summary>
    public Uri BaseUri { get; set; } = new("https://127.0.0.1/");

    /// <summary>A number in [0, 1) from the emulator's seeded generator (thread-safe).</summary>
    public double NextDouble()
    {
        lock (random)
        {
            return random.NextDouble();
        }
    }
}
