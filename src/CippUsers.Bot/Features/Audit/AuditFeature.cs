using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Access;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Files;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Teams;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Audit;

/// `audit [tenant] [user]`: the latest audit entries the caller may see (reader or more in the entry's tenant), and a
/// button that sends them as CSV to the caller's 1:1 chat.
internal sealed class AuditFeature(AuditLog auditLog, AccessPolicy policy, CustomerTenants tenants, FileDelivery files) : IFeature
{
    private const int Shown = 20;
    private const int CsvLimit = 5000;

    public void Map(BotRoutes routes)
    {
        routes.Command("audit", "Latest audit entries, optionally for one tenant and user", "audit contoso jane@contoso.com", ShowAsync, "history");
        routes.Verb(OperationVerbs.AuditCsv, CsvAsync);
    }

    private async Task ShowAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        var (tenant, user) = Parse(arguments);
        var entries = await VisibleAsync(turn.Caller, tenant, user, Shown, ct);
        if (entries is null)
        {
            await turn.SendCardAsync(OperationCards.Refusal("Audit", "You need the reader role (or more) to see the audit log."), ct);
            return;
        }

        await turn.SendCardAsync(AuditCards.Entries(entries, tenant?.DisplayName, user), ct);
    }

    private async Task CsvAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        // The card's tenant/user are only a filter; what the caller may see is decided here again.
        var tenantText = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("tenant", out var t) ? t.GetString() : null;
        var user = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("user", out var u) ? u.GetString() : null;
        var tenant = string.IsNullOrEmpty(tenantText) ? null : tenants.Find(tenantText);
        var entries = await VisibleAsync(turn.Caller, tenant, string.IsNullOrEmpty(user) ? null : user, CsvLimit, ct);
        if (entries is null)
        {
            turn.RespondWithError(403, "You need the reader role (or more) to see the audit log.");
            return;
        }

        var description = $"{entries.Count} audit entries{(tenant is null ? "" : $" for {tenant.DisplayName}")}{(string.IsNullOrEmpty(user) ? "" : $" about {user}")}.";
        await files.OfferAsync(turn.Conversation, turn.Caller, AuditCsv.FileName, description, FileContent.FromBytes(AuditCsv.ToBytes(entries)), ct);
        turn.RespondWithMessage($"Sent {entries.Count} audit entries as CSV to your private chat.");
    }

    private async Task<IReadOnlyList<AuditEntry>?> VisibleAsync(Caller caller, CustomerTenant? tenant, string? user, int limit, CancellationToken ct)
    {
        var access = policy.For(caller.AadObjectId);
        if (tenant is not null)
        {
            return access.Has(Role.Reader, Ref(tenant)) ? await auditLog.QueryAsync(tenant.TenantId, user, limit, ct) : null;
        }

        if (!CallerAccess.Satisfies(access.AnyRoles, Role.Reader))
        {
            return null;
        }

        var all = await auditLog.QueryAsync(null, user, limit * 2, ct);
        return [.. all.Where(e => access.Has(Role.Reader, Ref(tenants.Find(e.TenantId) ?? new CustomerTenant(e.TenantId, e.TenantId, e.TenantId)))).Take(limit)];
    }

    private (CustomerTenant? Tenant, string? User) Parse(string arguments)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return (null, null);
        }

        var tenant = tenants.Find(words[0]);
        var rest = string.Join(' ', tenant is null ? words : words[1..]);
        return (tenant, rest.Length == 0 ? null : rest);
    }

    private static TenantRef Ref(CustomerTenant tenant) => new(tenant.TenantId, tenant.DefaultDomain, tenant.DisplayName);

    internal static JsonObject CsvData(string? tenant, string? user) => new() { ["tenant"] = tenant ?? "", ["user"] = user ?? "" };
}
