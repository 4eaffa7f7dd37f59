namespace CippUsers.TenantEmulator;

/// <summary>
/// One request the emulator answered. Batch items are journaled one by one with <see cref="BatchItem"/> set.
/// <see cref="BodyProperties"/> holds the names (never the values) of a JSON object body's top-level properties, so
/// tests can see what a PATCH sent without the journal holding passwords.
/// </summary>
public sealed record JournalEntry(
    DateTimeOffset At,
    string Method,
    string Path,
    string? TenantId,
    int Status,
    TimeSpan Duration,
    bool Throttled,
    bool BatchItem,
    IReadOnlyList<string>? BodyProperties = null)
{
    internal static IReadOnlyList<string>? NamesOf(System.Text.Json.Nodes.JsonNode? body)
        => body is System.Text.Json.Nodes.JsonObject o ? [.. o.Select(p => p.Key)] : null;
}
