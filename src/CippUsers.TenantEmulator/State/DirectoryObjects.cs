using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.State;

/// <summary>A user as stored: every property in Graph's JSON shape, plus what Graph keeps out of the user resource.</summary>
internal sealed class DirectoryUser(string id, JsonObject data, DateTimeOffset visibleAt)
{
    public string Id { get; } = id;

    public JsonObject Data { get; } = data;

    /// <summary>Before this time the user is still replicating: follow-up calls get 404 and $search misses it.</summary>
    public DateTimeOffset VisibleAt { get; set; } = visibleAt;

    public string? ManagerId { get; set; }

    public string UserPrincipalName => (string)Data["userPrincipalName"]!;

    public List<JsonObject> AuthenticationMethods { get; } = [];

    public DateTimeOffset? SessionsRevokedAt { get; set; }

    public DateTimeOffset? PasswordChangedAt { get; set; }

    /// <summary>Groups the user belonged to when deleted, given back on restore.</summary>
    public List<string> DeletedMemberships { get; } = [];
}

/// <summary>A group as stored, with its direct members by object id.</summary>
internal sealed class DirectoryGroup(string id, JsonObject data)
{
    public string Id { get; } = id;

    public JsonObject Data { get; } = data;

    public HashSet<string> Members { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool IsUnified => Data["groupTypes"] is JsonArray types && types.Any(t => (string?)t == "Unified");

    public bool IsDynamic => Data["groupTypes"] is JsonArray types && types.Any(t => (string?)t == "DynamicMembership");

    public bool IsMailEnabled => Data["mailEnabled"]?.GetValue<bool>() == true;

    public bool IsSynced => Data["onPremisesSyncEnabled"]?.GetValue<bool?>() == true;
}

/// <summary>A directory role with its members (memberOf shows these next to groups).</summary>
internal sealed record DirectoryRole(string Id, string DisplayName, string RoleTemplateId, HashSet<string> Members);

/// <summary>A licence subscription of the tenant.</summary>
internal sealed class TenantSku(string skuId, string partNumber, int prepaid, IReadOnlyList<ServicePlan> plans)
{
    public string SkuId { get; } = skuId;

    public string PartNumber { get; } = partNumber;

    public int Prepaid { get; set; } = prepaid;

    public int Consumed { get; set; }

    public IReadOnlyList<ServicePlan> Plans { get; } = plans;
}

internal sealed record ServicePlan(string Id, string Name);

internal sealed record TenantDomain(string Id, bool IsDefault, bool IsInitial, bool IsVerified, string AuthenticationType);
