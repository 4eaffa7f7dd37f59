using System.Text.Json.Nodes;
using CippUsers.Bot.Storage;
using Dapper;

namespace CippUsers.Bot.Features.Imports;

/// Where a row of an import stands. Pending → InFlight (persisted before the create is sent) → Created (object id
/// persisted; follow-up steps still to run) → Succeeded | PartlySucceeded | Failed. Invalid rows were refused at preview.
internal enum ImportRowState { Pending, Invalid, InFlight, Created, Succeeded, PartlySucceeded, Failed }

/// A stored import row: the input values (never a password), its state and outcome. <see cref="PasswordGiven"/> says the
/// input had a password for it, which lives only in memory (<see cref="ImportPasswords"/>).
internal sealed record StoredRow(int Index, int Line, JsonObject Data, ImportRowState State, string? ObjectId, string? Detail)
{
    public const string PasswordGivenKey = "passwordGiven";

    public bool PasswordGiven => Data[PasswordGivenKey]?.GetValue<bool>() == true;

    public string? this[string field] => Data[field]?.GetValue<string>() is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    /// The input values by field name (without the password marker).
    public IReadOnlyDictionary<string, string> Values => Data
        .Where(p => p.Key != PasswordGivenKey && p.Value is not null)
        .ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal);

    public bool IsDone => State is ImportRowState.Succeeded or ImportRowState.PartlySucceeded or ImportRowState.Failed or ImportRowState.Invalid;
}

/// A row's new state, written by the job.
internal sealed record RowUpdate(int Index, ImportRowState State, string? ObjectId, string? Detail);

/// The rows of bulk add / bulk invite operations (table import_rows): written when the tech previews, updated by the job
/// per chunk so a restarted job resumes per row. Values pass <see cref="SecretGuard"/>: no password is ever stored.
internal sealed class ImportRowStore(BotDatabase database, TimeProvider time)
{
    /// Replaces every row of <paramref name="operationId"/>.
    public async Task ReplaceAsync(Guid operationId, IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var records = rows.Select((r, i) =>
        {
            var data = new JsonObject();
            foreach (var (key, value) in r.Values)
                data[key] = value;
            if (r.Password is not null)
                data[StoredRow.PasswordGivenKey] = true;
            SecretGuard.EnsureNoSecrets(data, "Import row");
            return new { id = operationId.ToString(), index = i, line = r.Line, data = data.ToJsonString(), state = nameof(ImportRowState.Pending), now };
        }).ToList();

        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM import_rows WHERE operation_id = @id", new { id = operationId.ToString() }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO import_rows (operation_id, row_index, line_number, data, state, object_id, detail, updated_at) VALUES (@id, @index, @line, @data, @state, NULL, NULL, @now)",
            records, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<StoredRow>> ListAsync(Guid operationId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Index, long Line, string Data, string State, string? ObjectId, string? Detail)>(new CommandDefinition(
            "SELECT row_index, line_number, data, state, object_id, detail FROM import_rows WHERE operation_id = @id ORDER BY row_index",
            new { id = operationId.ToString() }, cancellationToken: ct));
        return [.. rows.Select(r => new StoredRow((int)r.Index, (int)r.Line, JsonNode.Parse(r.Data)!.AsObject(), Enum.Parse<ImportRowState>(r.State), r.ObjectId, r.Detail))];
    }

    /// Writes the new state of several rows in one transaction.
    public async Task UpdateAsync(Guid operationId, IReadOnlyCollection<RowUpdate> updates, CancellationToken ct)
    {
        if (updates.Count == 0)
            return;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE import_rows SET state = @state, object_id = @objectId, detail = @detail, updated_at = @now WHERE operation_id = @id AND row_index = @index",
            updates.Select(u => new { id = operationId.ToString(), index = u.Index, state = u.State.ToString(), objectId = u.ObjectId, detail = u.Detail, now }),
            transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    public async Task DeleteAsync(Guid operationId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM import_rows WHERE operation_id = @id", new { id = operationId.ToString() }, cancellationToken: ct));
    }
}
