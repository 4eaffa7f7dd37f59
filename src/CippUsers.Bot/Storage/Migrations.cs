namespace CippUsers.Bot.Storage;

/// <summary>One schema step: applied once, in order, recorded in schema_version.</summary>
internal sealed record Migration(int Version, string Description, IReadOnlyList<string> Statements);

/// <summary>
/// The numbered schema scripts per provider. Append new steps at the end; never edit a step that has shipped.
/// Times are Unix milliseconds (UTC), ids and JSON documents are text, so both providers share the store code.
/// </summary>
internal static class Migrations
{
    public static IReadOnlyList<Migration> For(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => Sqlite,
        StorageProvider.Postgres => Postgres,
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    private const string PendingOperationsColumns = """
        id TEXT NOT NULL PRIMARY KEY,
        requester_aad_object_id TEXT NOT NULL,
        requester_name TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        tenant_name TEXT NOT NULL,
        action_id TEXT NOT NULL,
        targets TEXT NOT NULL,
        parameters TEXT NOT NULL,
        state TEXT NOT NULL,
        version BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        request_conversation TEXT NULL,
        request_card_activity_id TEXT NULL,
        approval_conversation TEXT NULL,
        approval_card_activity_id TEXT NULL,
        decided_by_aad_object_id TEXT NULL,
        decided_by_name TEXT NULL,
        decided_at BIGINT NULL,
        results TEXT NOT NULL,
        correlation_id TEXT NULL
        """;

    private const string AuditColumns = """
        occurred_at BIGINT NOT NULL,
        actor_aad_object_id TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        action_id TEXT NOT NULL,
        target_id TEXT NULL,
        target_name TEXT NULL,
        outcome TEXT NOT NULL,
        detail TEXT NULL,
        parameters TEXT NULL,
        correlation_id TEXT NOT NULL,
        operation_id TEXT NULL
        """;

    private static readonly string[] CommonTablesAndIndexes =
    [
        "CREATE INDEX ix_pending_operations_state_expires ON pending_operations (state, expires_at)",
        "CREATE INDEX ix_pending_operations_tenant_created ON pending_operations (tenant_id, created_at)",
        "CREATE INDEX ix_pending_operations_requester_created ON pending_operations (requester_aad_object_id, created_at)",
        "CREATE INDEX ix_audit_log_tenant ON audit_log (tenant_id, id)",
        "CREATE INDEX ix_audit_log_target ON audit_log (target_id)",
        "CREATE INDEX ix_audit_log_operation ON audit_log (operation_id)",
        """
        CREATE TABLE conversation_references (
            scope TEXT NOT NULL, item_key TEXT NOT NULL, address TEXT NOT NULL, updated_at BIGINT NOT NULL,
            PRIMARY KEY (scope, item_key))
        """,
        """
        CREATE TABLE preferences (
            scope TEXT NOT NULL, item_key TEXT NOT NULL, value TEXT NOT NULL, updated_at BIGINT NOT NULL,
            PRIMARY KEY (scope, item_key))
        """,
    ];

    // Bulk add / bulk invite: one line per input row (never a password), with its outcome, so a job resumes per row.
    private static readonly Migration ImportRows = new(2, "import rows of bulk add and bulk invite",
    [
        """
        CREATE TABLE import_rows (
            operation_id TEXT NOT NULL, row_index INTEGER NOT NULL, line_number INTEGER NOT NULL, data TEXT NOT NULL,
            state TEXT NOT NULL, object_id TEXT NULL, detail TEXT NULL, updated_at BIGINT NOT NULL,
            PRIMARY KEY (operation_id, row_index))
        """,
    ]);

    // Leases behind OperationLocks on SQLite (PostgreSQL uses advisory locks; the table is there for one schema history).
    private static readonly Migration OperationLocks = new(3, "operation locks",
    [
        "CREATE TABLE operation_locks (lock_key TEXT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, expires_at BIGINT NOT NULL)",
    ]);

    private static readonly Migration[] Sqlite =
    [
        new(1, "pending operations, audit log, conversation references, preferences",
        [
            $"CREATE TABLE pending_operations ({PendingOperationsColumns})",
            $"CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, {AuditColumns})",
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
            .. CommonTablesAndIndexes,
        ]),
        ImportRows,
        OperationLocks,
    ];

    private static readonly Migration[] Postgres =
    [
        new(1, "pending operations, audit log, conversation references, preferences",
        [
            $"CREATE TABLE pending_operations ({PendingOperationsColumns})",
            $"CREATE TABLE audit_log (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, {AuditColumns})",
            """
            CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """,
            "CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()",
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()",
            "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC",
            .. CommonTablesAndIndexes,
        ]),
        ImportRows,
        OperationLocks,
    ];
}
