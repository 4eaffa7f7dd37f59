using System.Text;
using System.Text.Json.Nodes;
using CippUsers.Bot.Conversations;
using Dapper;

namespace CippUsers.Bot.Storage;

/// <summary>
/// Pending operations with compare-and-swap transitions: a double click, a Teams retry or two bot instances
/// acting on the same operation change it once. Times are stored with millisecond precision (UTC).
/// </summary>
public sealed class PendingOperationStore(BotDatabase database, TimeProvider time)
{
    private const string Columns = """
        id AS Id, requester_aad_object_id AS RequesterAadObjectId, requester_name AS RequesterName,
        tenant_id AS TenantId, tenant_name AS TenantName, action_id AS ActionId, targets AS Targets,
        parameters AS Parameters, state AS State, version AS Version, created_at AS CreatedAt, expires_at AS ExpiresAt,
        updated_at AS UpdatedAt, request_conversation AS RequestConversation, request_card_activity_id AS RequestCardActivityId,
        approval_conversation AS ApprovalConversation, approval_card_activity_id AS ApprovalCardActivityId,
        decided_by_aad_object_id AS DecidedByAadObjectId, decided_by_name AS DecidedByName, decided_at AS DecidedAt,
        results AS Results, correlation_id AS CorrelationId
        """;

    private static readonly OperationState[] Expirable = [OperationState.AwaitingConfirmation, OperationState.AwaitingApproval];

    /// <summary>Stores a new operation with Version 1 and UpdatedAt = now.</summary>
    /// <exception cref="SecretStorageException">When Parameters name a secret.</exception>
    public async Task CreateAsync(PendingOperation op, CancellationToken ct)
    {
        SecretGuard.EnsureNoSecrets(op.Parameters, "Operation parameters");
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO pending_operations (id, requester_aad_object_id, requester_name, tenant_id, tenant_name, action_id,
                targets, parameters, state, version, created_at, expires_at, updated_at, request_conversation,
                request_card_activity_id, approval_conversation, approval_card_activity_id, decided_by_aad_object_id,
                decided_by_name, decided_at, results, correlation_id)
            VALUES (@Id, @RequesterAadObjectId, @RequesterName, @TenantId, @TenantName, @ActionId,
                @Targets, @Parameters, @State, 1, @CreatedAt, @ExpiresAt, @UpdatedAt, @RequestConversation,
                @RequestCardActivityId, @ApprovalConversation, @ApprovalCardActivityId, @DecidedByAadObjectId,
                @DecidedByName, @DecidedAt, @Results, @CorrelationId)
            """, Row.From(op with { Version = 1, UpdatedAt = now }), cancellationToken: ct));
    }

    public async Task<PendingOperation?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM pending_operations WHERE id = @id", new { id = Key(id) }, cancellationToken: ct));
        return row?.ToOperation();
    }

    /// <summary>
    /// Compare-and-swap: applies <paramref name="change"/> only if the stored State and Version equal the expected ones.
    /// Bumps Version and sets UpdatedAt. Id, requester, tenant, action and CreatedAt cannot change. Card columns are
    /// written only when <paramref name="change"/> altered them, so a concurrent <see cref="SetRequestCardAsync"/> survives.
    /// </summary>
    /// <returns>The stored operation after the change, or null when the operation is missing or another caller won the race.</returns>
    public async Task<PendingOperation?> TryTransitionAsync(Guid id, OperationState expected, int expectedVersion,
        Func<PendingOperation, PendingOperation> change, CancellationToken ct)
    {
        var current = await GetAsync(id, ct);
        if (current is null || current.State != expected || current.Version != expectedVersion)
            return null;

        var next = change(current) with
        {
            Id = current.Id,
            RequesterAadObjectId = current.RequesterAadObjectId,
            RequesterName = current.RequesterName,
            TenantId = current.TenantId,
            TenantName = current.TenantName,
            ActionId = current.ActionId,
            CreatedAt = current.CreatedAt,
            Version = expectedVersion + 1,
            UpdatedAt = time.GetUtcNow(),
        };
        SecretGuard.EnsureNoSecrets(next.Parameters, "Operation parameters");

        var sql = new StringBuilder("""
            UPDATE pending_operations SET state = @State, version = @Version, updated_at = @UpdatedAt, targets = @Targets,
                parameters = @Parameters, expires_at = @ExpiresAt, decided_by_aad_object_id = @DecidedByAadObjectId,
                decided_by_name = @DecidedByName, decided_at = @DecidedAt, results = @Results, correlation_id = @CorrelationId
            """);
        if (next.RequestConversation != current.RequestConversation)
            sql.Append(", request_conversation = @RequestConversation");
        if (next.RequestCardActivityId != current.RequestCardActivityId)
            sql.Append(", request_card_activity_id = @RequestCardActivityId");
        if (next.ApprovalConversation != current.ApprovalConversation)
            sql.Append(", approval_conversation = @ApprovalConversation");
        if (next.ApprovalCardActivityId != current.ApprovalCardActivityId)
            sql.Append(", approval_card_activity_id = @ApprovalCardActivityId");
        sql.Append(" WHERE id = @Id AND state = @ExpectedState AND version = @ExpectedVersion");

        var row = Row.From(next);
        var parameters = new DynamicParameters(row);
        parameters.Add("ExpectedState", expected.ToString());
        parameters.Add("ExpectedVersion", expectedVersion);

        await using var connection = await database.OpenAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, cancellationToken: ct));
        return changed == 1 ? await GetAsync(id, ct) ?? next : null;
    }

    /// <summary>Operations matching <paramref name="query"/>, newest first.</summary>
    public async Task<IReadOnlyList<PendingOperation>> ListAsync(OperationQuery query, CancellationToken ct)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM pending_operations WHERE 1 = 1");
        var parameters = new DynamicParameters();
        if (query.States is not null)
        {
            sql.Append(" AND state IN ").Append(SqlList.Add(parameters, "state", query.States.Select(s => s.ToString())));
        }
        if (query.TenantIds is not null)
        {
            sql.Append(" AND tenant_id IN ").Append(SqlList.Add(parameters, "tenant", query.TenantIds));
        }
        if (query.RequesterAadObjectId is not null)
        {
            sql.Append(" AND requester_aad_object_id = @requester");
            parameters.Add("requester", query.RequesterAadObjectId);
        }
        if (query.ActionId is not null)
        {
            sql.Append(" AND action_id = @action");
            parameters.Add("action", query.ActionId);
        }
        sql.Append(" ORDER BY created_at DESC, id DESC LIMIT @limit");
        parameters.Add("limit", Math.Clamp(query.Limit, 1, 1000));

        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: ct));
        return [.. rows.Select(r => r.ToOperation())];
    }

    /// <summary>Moves AwaitingConfirmation/AwaitingApproval operations past ExpiresAt to Expired (CAS per row).</summary>
    /// <returns>How many operations this call expired.</returns>
    public async Task<int> ExpireDueAsync(DateTimeOffset now, CancellationToken ct) =>
        (await ExpireDueOperationsAsync(now, ct)).Count;

    /// <summary>Like <see cref="ExpireDueAsync"/>, returning the operations this call expired (for updating their cards).</summary>
    public async Task<IReadOnlyList<PendingOperation>> ExpireDueOperationsAsync(DateTimeOffset now, CancellationToken ct)
    {
        List<(Guid Id, OperationState State, int Version)> due;
        await using (var connection = await database.OpenAsync(ct))
        {
            var parameters = new DynamicParameters();
            var states = SqlList.Add(parameters, "state", Expirable.Select(s => s.ToString()));
            parameters.Add("now", now.ToUnixTimeMilliseconds());
            var rows = await connection.QueryAsync<(string Id, string State, long Version)>(new CommandDefinition(
                $"SELECT id, state, version FROM pending_operations WHERE state IN {states} AND expires_at <= @now",
                parameters, cancellationToken: ct));
            due = [.. rows.Select(r => (Guid.Parse(r.Id), Enum.Parse<OperationState>(r.State), (int)r.Version))];
        }

        var expired = new List<PendingOperation>();
        foreach (var (id, state, version) in due)
        {
            var op = await TryTransitionAsync(id, state, version, o => o.ExpiresAt <= now ? o with { State = OperationState.Expired } : o, ct);
            if (op is { State: OperationState.Expired })
                expired.Add(op);
        }
        return expired;
    }

    /// <summary>Records where the requester's card lives; does not touch State or Version.</summary>
    /// <returns>False when the operation does not exist.</returns>
    public Task<bool> SetRequestCardAsync(Guid id, ConversationAddress conversation, string activityId, CancellationToken ct) =>
        SetCardAsync("request_conversation", "request_card_activity_id", id, conversation, activityId, ct);

    /// <summary>Records where the approval card lives; does not touch State or Version.</summary>
    /// <returns>False when the operation does not exist.</returns>
    public Task<bool> SetApprovalCardAsync(Guid id, ConversationAddress conversation, string activityId, CancellationToken ct) =>
        SetCardAsync("approval_conversation", "approval_card_activity_id", id, conversation, activityId, ct);

    private async Task<bool> SetCardAsync(string conversationColumn, string activityColumn, Guid id,
        ConversationAddress conversation, string activityId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE pending_operations SET {conversationColumn} = @conversation, {activityColumn} = @activityId WHERE id = @id",
            new { id = Key(id), conversation = StorageJson.Serialize(conversation), activityId }, cancellationToken: ct));
        return changed == 1;
    }

    private static string Key(Guid id) => id.ToString("D");

    // Column values as stored: ids as text, times as Unix milliseconds, lists and addresses as JSON.
    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string RequesterAadObjectId { get; set; } = "";
        public string RequesterName { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string TenantName { get; set; } = "";
        public string ActionId { get; set; } = "";
        public string Targets { get; set; } = "[]";
        public string Parameters { get; set; } = "{}";
        public string State { get; set; } = "";
        public long Version { get; set; }
        public long CreatedAt { get; set; }
        public long ExpiresAt { get; set; }
        public long UpdatedAt { get; set; }
        public string? RequestConversation { get; set; }
        public string? RequestCardActivityId { get; set; }
        public string? ApprovalConversation { get; set; }
        public string? ApprovalCardActivityId { get; set; }
        public string? DecidedByAadObjectId { get; set; }
        public string? DecidedByName { get; set; }
        public long? DecidedAt { get; set; }
        public string Results { get; set; } = "[]";
        public string? CorrelationId { get; set; }

        public static Row From(PendingOperation op) => new()
        {
            Id = Key(op.Id),
            RequesterAadObjectId = op.RequesterAadObjectId,
            RequesterName = op.RequesterName,
            TenantId = op.TenantId,
            TenantName = op.TenantName,
            ActionId = op.ActionId,
            Targets = StorageJson.Serialize(op.Targets),
            Parameters = op.Parameters.ToJsonString(),
            State = op.State.ToString(),
            Version = op.Version,
            CreatedAt = op.CreatedAt.ToUnixTimeMilliseconds(),
            ExpiresAt = op.ExpiresAt.ToUnixTimeMilliseconds(),
            UpdatedAt = op.UpdatedAt.ToUnixTimeMilliseconds(),
            RequestConversation = op.RequestConversation is null ? null : StorageJson.Serialize(op.RequestConversation),
            RequestCardActivityId = op.RequestCardActivityId,
            ApprovalConversation = op.ApprovalConversation is null ? null : StorageJson.Serialize(op.ApprovalConversation),
            ApprovalCardActivityId = op.ApprovalCardActivityId,
            DecidedByAadObjectId = op.DecidedByAadObjectId,
            DecidedByName = op.DecidedByName,
            DecidedAt = op.DecidedAt?.ToUnixTimeMilliseconds(),
            Results = StorageJson.Serialize(op.Results),
            CorrelationId = op.CorrelationId,
        };

        public PendingOperation ToOperation() => new()
        {
            Id = Guid.Parse(Id),
            RequesterAadObjectId = RequesterAadObjectId,
            RequesterName = RequesterName,
            TenantId = TenantId,
            TenantName = TenantName,
            ActionId = ActionId,
            Targets = StorageJson.Deserialize<List<OperationTarget>>(Targets),
            Parameters = JsonNode.Parse(Parameters)?.AsObject() ?? [],
            State = Enum.Parse<OperationState>(State),
            Version = checked((int)Version),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAt),
            UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt),
            RequestConversation = StorageJson.DeserializeOrNull<ConversationAddress>(RequestConversation),
            RequestCardActivityId = RequestCardActivityId,
            ApprovalConversation = StorageJson.DeserializeOrNull<ConversationAddress>(ApprovalConversation),
            ApprovalCardActivityId = ApprovalCardActivityId,
            DecidedByAadObjectId = DecidedByAadObjectId,
            DecidedByName = DecidedByName,
            DecidedAt = DecidedAt is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null,
            Results = StorageJson.Deserialize<List<TargetResult>>(Results),
            CorrelationId = CorrelationId,
        };
    }
}
