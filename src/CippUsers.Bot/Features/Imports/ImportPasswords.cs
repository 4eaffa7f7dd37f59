using System.Collections.Concurrent;

namespace CippUsers.Bot.Features.Imports;

/// Passwords typed into an import's CSV, between the preview and the job, in memory only (never stored, logged or shown).
/// Lost on restart: the job then leaves those rows uncreated with a clear reason rather than invent a password the tech
/// did not choose.
internal sealed class ImportPasswords
{
    private readonly ConcurrentDictionary<Guid, IReadOnlyDictionary<int, string>> byOperation = new();

    public void Put(Guid operationId, IReadOnlyDictionary<int, string> passwordsByRow)
    {
        if (passwordsByRow.Count == 0)
            byOperation.TryRemove(operationId, out _);
        else
            byOperation[operationId] = passwordsByRow;
    }

    public IReadOnlyDictionary<int, string> Get(Guid operationId) =>
        byOperation.TryGetValue(operationId, out var passwords) ? passwords : new Dictionary<int, string>();

    public void Forget(Guid operationId) => byOperation.TryRemove(operationId, out _);
}
