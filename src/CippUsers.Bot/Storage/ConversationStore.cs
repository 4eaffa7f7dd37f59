using CippUsers.Bot.Conversations;
using Dapper;

namespace CippUsers.Bot.Storage;

/// <summary>Conversation references: the helpdesk channel per tenant ("*" for all tenants) and each tech's 1:1 chat.</summary>
public sealed class ConversationStore(BotDatabase database, TimeProvider time)
{
    public const string AllTenants = "*";
    private const string HelpdeskScope = "helpdesk";
    private const string PersonalScope = "personal";

    public Task SetHelpdeskChannelAsync(string tenantIdOrStar, ConversationAddress address, CancellationToken ct) =>
        UpsertAsync(HelpdeskScope, tenantIdOrStar, address, ct);

    /// <summary>The tenant's own helpdesk channel, else the one for all tenants ("*"), else null.</summary>
    public async Task<ConversationAddress?> GetHelpdeskChannelAsync(string tenantId, CancellationToken ct) =>
        await GetAsync(HelpdeskScope, tenantId, ct) ?? await GetAsync(HelpdeskScope, AllTenants, ct);

    /// <summary>Forgets a tenant's (or "*") helpdesk channel. Returns false when none was set.</summary>
    public async Task<bool> RemoveHelpdeskChannelAsync(string tenantIdOrStar, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM conversation_references WHERE scope = @scope AND item_key = @key",
            new { scope = HelpdeskScope, key = tenantIdOrStar }, cancellationToken: ct)) > 0;
    }

    public Task SavePersonalChatAsync(string aadObjectId, ConversationAddress address, CancellationToken ct) =>
        UpsertAsync(PersonalScope, aadObjectId, address, ct);

    public Task<ConversationAddress?> GetPersonalChatAsync(string aadObjectId, CancellationToken ct) =>
        GetAsync(PersonalScope, aadObjectId, ct);

    private async Task UpsertAsync(string scope, string key, ConversationAddress address, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO conversation_references (scope, item_key, address, updated_at) VALUES (@scope, @key, @address, @now)
            ON CONFLICT (scope, item_key) DO UPDATE SET address = excluded.address, updated_at = excluded.updated_at
            """, new { scope, key, address = StorageJson.Serialize(address), now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: ct));
    }

    private async Task<ConversationAddress?> GetAsync(string scope, string key, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT address FROM conversation_references WHERE scope = @scope AND item_key = @key",
            new { scope, key }, cancellationToken: ct));
        return StorageJson.DeserializeOrNull<ConversationAddress>(json);
    }
}
