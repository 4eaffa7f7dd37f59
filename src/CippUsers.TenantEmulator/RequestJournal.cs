using System.Collections.Concurrent;

namespace CippUsers.TenantEmulator;

/// <summary>Every request the emulator answered, oldest first, bounded in size.</summary>
public sealed class RequestJournal(int capacity)
{
    private readonly ConcurrentQueue<JournalEntry> entries = new();

    /// <summary>A snapshot of the entries, oldest first.</summary>
    public IReadOnlyList<JournalEntry> Entries => [.. entries];

    public int Count => entries.Count;

    /// <summary>Forgets every entry.</summary>
    public void Reset() => entries.Clear();

    internal void Add(JournalEntry entry)
    {
        entries.Enqueue(entry);
        while (entries.Count > capacity && entries.TryDequeue(out _))
        {
        }
    }
}
