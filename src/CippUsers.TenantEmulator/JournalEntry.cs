namespace CippUsers.TenantEmulator;

/// <summary>One request the emulator answered. Batch items are journaled one by one with <see cref="BatchItem"/> set.</summary>
public sealed record JournalEntry(
    DateTimeOffset At,
    string Method,
    string Path,
    string? TenantId,
    int Status,
    TimeSpan Duration,
    bool Throttled,
    bool BatchItem);
