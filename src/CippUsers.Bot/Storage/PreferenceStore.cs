using System.Text.Json.Nodes;
using Dapper;

namespace CippUsers.Bot.Storage;

/// <summary>Small JSON documents by scope and key (per-tenant preferences, templates). Never secrets.</summary>
public sealed class PreferenceStore(BotDatabase database, TimeProvider time)
{
    public async Task<JsonObject?> GetAsync(string scope, string key, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT value FROM preferences WHERE scope = @scope AND item_key = @key", new { scope, key }, cancellationToken: ct));
        return json is null ? null : JsonNode.Parse(json)?.AsObject();
    }

    /// <exception cref="SecretStorageException">When the value names a secret.</exception>
    public async Task SetAsync(string scope, string key, JsonObject value, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        SecretGuard.EnsureNoSecrets(value, "Preference value");
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO preferences (scope, item_key, value, updated_at) VALUES (@scope, @key, @value, @now)
            ON CONFLICT (scope, item_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """, new { scope, key, value = value.ToJsonString(), now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: ct));
    }
}
