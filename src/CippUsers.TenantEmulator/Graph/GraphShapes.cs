using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Graph;

/// <summary>Graph's JSON shapes for objects that are derived rather than stored.</summary>
internal static class GraphShapes
{
    public static JsonObject Sku(TenantData tenant, TenantSku sku) => new()
    {
        ["accountName"] = tenant.Info.DisplayName,
        ["accountId"] = tenant.Info.TenantId,
        ["appliesTo"] = "User",
        ["capabilityStatus"] = "Enabled",
        ["consumedUnits"] = sku.Consumed,
        ["id"] = $"{tenant.Info.TenantId}_{sku.SkuId}",
        ["skuId"] = sku.SkuId,
        ["skuPartNumber"] = sku.PartNumber,
        ["subscriptionIds"] = new JsonArray(DeterministicGuid(tenant.Info.TenantId + sku.SkuId)),
        ["prepaidUnits"] = new JsonObject { ["enabled"] = sku.Prepaid, ["suspended"] = 0, ["warning"] = 0, ["lockedOut"] = 0 },
        ["servicePlans"] = new JsonArray([.. sku.Plans.Select(p => (JsonNode)new JsonObject
        {
            ["servicePlanId"] = p.Id,
            ["servicePlanName"] = p.Name,
            ["provisioningStatus"] = "Success",
            ["appliesTo"] = "User",
        })]),
    };

    public static JsonObject LicenseDetail(TenantSku sku, IEnumerable<string> disabledPlans)
    {
        var disabled = disabledPlans.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new JsonObject
        {
            ["id"] = DeterministicGuid(sku.SkuId),
            ["skuId"] = sku.SkuId,
            ["skuPartNumber"] = sku.PartNumber,
            ["servicePlans"] = new JsonArray([.. sku.Plans.Select(p => (JsonNode)new JsonObject
            {
                ["servicePlanId"] = p.Id,
                ["servicePlanName"] = p.Name,
                ["provisioningStatus"] = disabled.Contains(p.Id) ? "Disabled" : "Success",
                ["appliesTo"] = "User",
            })]),
        };
    }

    public static JsonObject Domain(TenantDomain d) => new()
    {
        ["authenticationType"] = d.AuthenticationType,
        ["availabilityStatus"] = null,
        ["id"] = d.Id,
        ["isAdminManaged"] = true,
        ["isDefault"] = d.IsDefault,
        ["isInitial"] = d.IsInitial,
        ["isRoot"] = true,
        ["isVerified"] = d.IsVerified,
        ["passwordNotificationWindowInDays"] = 14,
        ["passwordValidityPeriodInDays"] = 2147483647,
        ["supportedServices"] = d.IsVerified ? new JsonArray("Email", "OfficeCommunicationsOnline") : new JsonArray(),
        ["state"] = null,
    };

    public static JsonObject Role(DirectoryRole role) => new()
    {
        ["@odata.type"] = "#microsoft.graph.directoryRole",
        ["id"] = role.Id,
        ["deletedDateTime"] = null,
        ["description"] = $"Members of this role: {role.DisplayName}.",
        ["displayName"] = role.DisplayName,
        ["roleTemplateId"] = role.RoleTemplateId,
    };

    /// <summary>A GUID that is always the same for the same text.</summary>
    public static string DeterministicGuid(string text)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
