using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Graph.Query;
using CippUsers.TenantEmulator.Graph.Users;

namespace CippUsers.TenantEmulator.Graph.Licenses;

/// <summary>subscribedSkus, assignLicense and licenseDetails.</summary>
internal static class LicenseRoutes
{
    public static void Map(GraphRouter router) => router
        .Map("GET", "subscribedSkus", ListSkus)
        .Map("POST", "users/{id}/assignLicense", Assign)
        .Map("GET", "users/{id}/licenseDetails", Details)
        .Map("POST", "users/{id}/reprocessLicenseAssignment", Reprocess);

    private static GraphResult ListSkus(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            return CollectionQuery.Page(call, call.Tenant.Skus.Select(s => GraphShapes.Sku(call.Tenant, s)), Shapes.Sku, "subscribedSkus");
        }
    }

    private static GraphResult Assign(GraphCall call)
    {
        if (call.Body is not JsonObject body)
        {
            return GraphResult.Error(400, "BadRequest", "Empty Payload. JSON content expected.");
        }

        var missing = new[] { "addLicenses", "removeLicenses" }.Where(p => body[p] is not JsonArray).ToList();
        if (missing.Count > 0)
        {
            return GraphResult.BadRequest($"One or more parameters of the function import 'assignLicense' are missing from the request payload. The missing parameters are: {string.Join(", ", missing)}.");
        }

        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            if (user is null)
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            var add = body["addLicenses"]!.AsArray();
            var remove = body["removeLicenses"]!.AsArray().Select(r => (string?)r ?? "").ToList();
            if (add.Count > 0 && !UserValidation.IsUsageLocation(user.Data["usageLocation"]))
            {
                return GraphResult.BadRequest("License assignment cannot be done for user with invalid usage location.");
            }

            var assigned = user.Data["assignedLicenses"]!.AsArray();
            foreach (var skuId in remove)
            {
                if (!assigned.Any(a => string.Equals((string?)a!["skuId"], skuId, StringComparison.OrdinalIgnoreCase)))
                {
                    return GraphResult.BadRequest("User does not have a corresponding license.");
                }
            }

            var additions = new List<(State.TenantSku Sku, JsonArray DisabledPlans, bool IsNew)>();
            foreach (var item in add)
            {
                var skuId = (string?)item?["skuId"];
                var sku = call.Tenant.Skus.FirstOrDefault(s => string.Equals(s.SkuId, skuId, StringComparison.OrdinalIgnoreCase));
                if (sku is null)
                {
                    return GraphResult.BadRequest($"License {skuId} does not correspond to a valid company License.");
                }

                var disabled = item!["disabledPlans"] as JsonArray ?? [];
                if (disabled.Any(p => !sku.Plans.Any(plan => string.Equals(plan.Id, (string?)p, StringComparison.OrdinalIgnoreCase))))
                {
                    return GraphResult.BadRequest($"Invalid value for disabledPlans: a plan does not belong to the subscription {sku.SkuId}.");
                }

                var isNew = !assigned.Any(a => string.Equals((string?)a!["skuId"], sku.SkuId, StringComparison.OrdinalIgnoreCase)) || remove.Contains(sku.SkuId, StringComparer.OrdinalIgnoreCase);
                if (isNew && sku.Prepaid - sku.Consumed < 1)
                {
                    return GraphResult.BadRequest($"Subscription with SKU {sku.SkuId} does not have any available licenses.");
                }

                additions.Add((sku, disabled, isNew));
            }

            foreach (var skuId in remove)
            {
                var existing = assigned.First(a => string.Equals((string?)a!["skuId"], skuId, StringComparison.OrdinalIgnoreCase));
                assigned.Remove(existing);
                call.Tenant.Skus.First(s => string.Equals(s.SkuId, skuId, StringComparison.OrdinalIgnoreCase)).Consumed--;
            }

            foreach (var (sku, disabled, isNew) in additions)
            {
                var existing = assigned.FirstOrDefault(a => string.Equals((string?)a!["skuId"], sku.SkuId, StringComparison.OrdinalIgnoreCase));
                if (existing is not null)
                {
                    assigned.Remove(existing);
                }

                assigned.Add(new JsonObject { ["disabledPlans"] = disabled.DeepClone(), ["skuId"] = sku.SkuId });
                if (isNew)
                {
                    sku.Consumed++;
                }
            }

            return CollectionQuery.Single(call, user.Data, Shapes.User, "users");
        }
    }

    private static GraphResult Details(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            if (user is null)
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            var details = user.Data["assignedLicenses"]!.AsArray()
                .Select(a => (License: a!, Sku: call.Tenant.Skus.FirstOrDefault(s => s.SkuId == (string?)a!["skuId"])))
                .Where(x => x.Sku is not null)
                .Select(x => GraphShapes.LicenseDetail(x.Sku!, (x.License["disabledPlans"] as JsonArray ?? []).Select(p => (string?)p ?? "")));
            return CollectionQuery.Page(call, details, Shapes.LicenseDetail, $"users('{user.Id}')/licenseDetails");
        }
    }

    private static GraphResult Reprocess(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            return user is null ? GraphResult.NotFound(call.Route("id")) : CollectionQuery.Single(call, user.Data, Shapes.User, "users");
        }
    }
}
