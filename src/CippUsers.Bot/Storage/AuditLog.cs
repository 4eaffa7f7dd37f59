using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;

namespace CippUsers.Bot.Storage;

/// <param name="Id">Assigned by the database on append; the value passed to AppendAsync is ignored.</param>
public sealed record AuditEntry(long Id, DateTimeOffset At, string ActorAadObjectId, string ActorName, string TenantId, string Action,
    string? TargetId, string? TargetName, string Outcome, string? Detail, JsonObject? Parameters, string CorrelationId, Guid? OperationId);

/// <summary>
/// Append-only audit log: there is no update or delete method, and the database refuses UPDATE, DELETE
/// (and TRUNCATE on PostgreSQL) on the table with triggers.
/// </summary>
public sealed class AuditLog(BotDatabase database)
{
    private const string Columns = """
        id AS Id, occurred_at AS At, actor_aad_object_id AS ActorAadObjectId, actor_name AS ActorName, tenant_id AS TenantId,
        action_id AS Action, target_id AS TargetId, target_name AS TargetName, outcome AS Outcome, detail AS Detail,
        parameters AS Parameters, correlation_id AS CorrelationId, operation_id AS OperationId
        """;

    /// <exception cref="SecretStorageException">When Parameters name a secret.</exception>
    public async Task AppendAsync(AuditEntry entry, CancellationToken ct)
    {
        SecretGuard.EnsureNoSecrets(entry.Parameters, "Audit parameters");
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (occurred_at, actor_aad_object_id, actor_name, tenant_id, action_id, target_id, target_name, outcome,
                detail, parameters, correlation_id, operation_id)
            VALUES (@At, @ActorAadObjectId, @ActorName, @TenantId, @Action, @TargetId, @TargetName, @Outcome,
                @Detail, @Parameters, @CorrelationId, @OperationId)
            """, new
        {
            At = entry.At.ToUnixTimeMilliseconds(),
            entry.ActorAadObjectId,
            entry.ActorName,
            entry.TenantId,
            entry.Action,
            entry.TargetId,
            entry.TargetName,
            entry.Outcome,
            entry.Detail,
            Parameters = entry.Parameters?.ToJsonString(),
            entry.CorrelationId,
            OperationId = entry.OperationId?.ToString("D"),
        }, cancellationToken: ct));
    }

    /// <summary>
    /// Latest entries, newest first. <paramref name="targetOrActor"/> matches target id, actor id (exactly, ignoring case)
    /// or a part of the target's or actor's name.
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(string? tenantId, string? targetOrActor, int limit, CancellationToken ct)
    {
        var (sql, parameters) = Build(tenantId, targetOrActor);
        sql.Append(" LIMIT @limit");
        parameters.Add("limit", Math.Clamp(limit, 1, 10_000));
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: ct));
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>Every matching entry, newest first, read as it streams (for CSV export).</summary>
    public async IAsyncEnumerable<AuditEntry> StreamAsync(string? tenantId, string? targetOrActor, [EnumeratorCancellation] CancellationToken ct)
    {
        var (sql, parameters) = Build(tenantId, targetOrActor);
        await using var connection = await database.OpenAsync(ct);
        await foreach (var row in connection.QueryUnbufferedAsync<Row>(sql.ToString(), parameters).WithCancellation(ct))
            yield return row.ToEntry();
    }

    private static (StringBuilder Sql, DynamicParameters Parameters) Build(string? tenantId, string? targetOrActor)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM audit_log WHERE 1 = 1");
        var parameters = new DynamicParameters();
        if (!string.IsNullOrWhiteSpace(tenantId))
        {
            sql.Append(" AND tenant_id = @tenant");
            parameters.Add("tenant", tenantId);
        }
        if (!string.IsNullOrWhiteSpace(targetOrActor))
        {
            sql.Append("""
                 AND (lower(target_id) = @who OR lower(actor_aad_object_id) = @who
                    OR lower(target_name) LIKE @pattern ESCAPE '\' OR lower(actor_name) LIKE @pattern ESCAPE '\')
                """);
            var who = targetOrActor.Trim().ToLowerInvariant();
            parameters.Add("who", who);
            parameters.Add("pattern", "%" + who.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%");
        }
        sql.Append(" ORDER BY id DESC");
        return (sql, parameters);
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public long At { get; set; }
        public string ActorAadObjectId { get; set; } = "";
        public string ActorName { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string Action { get; set; } = "";
        public string? TargetId { get; set; }
        public string? TargetName { get; set; }
        public string Outcome { get; set; } = "";
        public string? Detail { get; set; }
        public string? Parameters { get; set; }
        public string CorrelationId { get; set; } = "";
        public string? OperationId { get; set; }

        public AuditEntry ToEntry() => new(Id, DateTimeOffset.FromUnixTimeMilliseconds(At), ActorAadObjectId, ActorName, TenantId,
            Action, TargetId, TargetName, Outcome, Detail, Parameters is null ? null : JsonNode.Parse(Parameters)?.AsObject(),
            CorrelationId, OperationId is null ? null : Guid.Parse(OperationId));
    }
}
