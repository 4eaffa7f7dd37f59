using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Graph.Query;
using CippUsers.TenantEmulator.Seeding;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Graph.Users;

/// <summary>/users: list, count, get, create, update, delete, restore, manager, direct reports, memberOf.</summary>
internal static class UserRoutes
{
    public static void Map(GraphRouter router) => router
        .Map("GET", "users", List)
        .Map("GET", "users/$count", Count)
        .Map("POST", "users", Create)
        .Map("GET", "users/{id}", Get)
        .Map("PATCH", "users/{id}", Update)
        .Map("DELETE", "users/{id}", Delete)
        .Map("GET", "users/{id}/manager", GetManager)
        .Map("PUT", "users/{id}/manager/$ref", SetManager)
        .Map("DELETE", "users/{id}/manager/$ref", RemoveManager)
        .Map("GET", "users/{id}/directReports", DirectReports)
        .Map("GET", "users/{id}/memberOf", MemberOf)
        .Map("GET", "directory/deletedItems/microsoft.graph.user", ListDeleted)
        .Map("POST", "directory/deletedItems/{id}/restore", Restore);

    private static GraphResult List(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            // signInActivity needs Entra ID P1/P2 in the tenant (Graph's answer for a tenant without it).
            if (call.Option("$select") is { } select
                && select.Split(',', StringSplitOptions.TrimEntries).Contains("signInActivity", StringComparer.Ordinal)
                && !call.Tenant.Skus.Any(s => s.Plans.Any(p => p.Name.StartsWith("AAD_PREMIUM", StringComparison.Ordinal))))
            {
                return GraphResult.Error(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", "Neither tenant is B2C or tenant doesn't have premium license");
            }

            var now = call.Now;
            return CollectionQuery.Page(call, call.Tenant.Users.Select(u => u.Data), Shapes.User, "users", Replicated(call.Tenant, now));
        }
    }

    private static GraphResult Count(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            return CollectionQuery.Count(call, call.Tenant.Users.Select(u => u.Data), Shapes.User, Replicated(call.Tenant, call.Now));
        }
    }

    private static Func<JsonObject, bool> Replicated(TenantData tenant, DateTimeOffset now) =>
        data => tenant.UsersById.TryGetValue((string)data["id"]!, out var user) && user.VisibleAt <= now;

    private static GraphResult Get(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            return user is null ? GraphResult.NotFound(call.Route("id")) : CollectionQuery.Single(call, user.Data, Shapes.User, "users");
        }
    }

    private static GraphResult Create(GraphCall call)
    {
        if (call.Body is not JsonObject body)
        {
            return GraphResult.Error(400, "BadRequest", "Empty Payload. JSON content expected.");
        }

        foreach (var (name, _) in body)
        {
            if (!name.StartsWith('@') && !UserFactory.Writable.Contains(name))
            {
                return GraphResult.Error(400, "Request_BadRequest", $"Property '{name}' is read-only or does not exist on type 'microsoft.graph.user'.");
            }
        }

        foreach (var required in new[] { "accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile" })
        {
            if (body[required] is null)
            {
                return GraphResult.BadRequest($"Property '{required}' is required when creating the entity.", GraphResult.Detail("PropertyRequired", required));
            }
        }

        if (!UserValidation.IsBool(body["accountEnabled"]))
        {
            return UserValidation.Invalid("accountEnabled");
        }

        if (!UserValidation.IsString(body["displayName"]))
        {
            return UserValidation.Invalid("displayName");
        }

        if (!UserValidation.IsString(body["mailNickname"]) || !UserValidation.IsValidNickname(body["mailNickname"]!.GetValue<string>()))
        {
            return UserValidation.Invalid("mailNickname");
        }

        if (!UserValidation.IsString(body["userPrincipalName"]))
        {
            return UserValidation.Invalid("userPrincipalName");
        }

        if (body["usageLocation"] is not null && !UserValidation.IsUsageLocation(body["usageLocation"]))
        {
            return UserValidation.Invalid("usageLocation");
        }

        if (body["passwordProfile"] is not JsonObject profile || !UserValidation.IsString(profile["password"]))
        {
            return UserValidation.Invalid("passwordProfile");
        }

        if (!UserValidation.IsStrongPassword(profile["password"]!.GetValue<string>()))
        {
            return UserValidation.WeakPassword();
        }

        var upn = body["userPrincipalName"]!.GetValue<string>();
        lock (call.Tenant.Gate)
        {
            if (UserValidation.CheckUserPrincipalName(call.Tenant, upn, null) is { } refused)
            {
                return refused;
            }

            if (UserValidation.IsFederated(call.Tenant, upn) && !UserValidation.IsString(body["onPremisesImmutableId"]))
            {
                return GraphResult.BadRequest("One or more properties contains invalid values.", GraphResult.Detail("InvalidValue", "onPremisesImmutableId"));
            }

            var now = call.Now;
            var id = Guid.NewGuid().ToString();
            var data = UserFactory.NewUser(id, body["displayName"]!.GetValue<string>(), upn, body["mailNickname"]!.GetValue<string>(), body["accountEnabled"]!.GetValue<bool>());
            foreach (var (name, value) in body)
            {
                if (name != "passwordProfile" && !name.StartsWith('@'))
                {
                    data[name] = value?.DeepClone();
                }
            }

            data["createdDateTime"] = TenantSeeder.Timestamp(now);
            var user = new DirectoryUser(id, data, now + call.Tenant.Realism.ReplicationDelay) { PasswordChangedAt = now };
            user.AuthenticationMethods.Add(new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.passwordAuthenticationMethod",
                ["id"] = "28c10230-6103-485e-b985-444c60001490",
                ["password"] = null,
                ["createdDateTime"] = TenantSeeder.Timestamp(now),
            });
            call.Tenant.AddUser(user);
            var created = CollectionQuery.Single(call, data, Shapes.User, "users");
            return new GraphResult(201, created.Body);
        }
    }

    private static GraphResult Update(GraphCall call)
    {
        if (call.Body is not JsonObject body)
        {
            return GraphResult.Error(400, "BadRequest", "Empty Payload. JSON content expected.");
        }

        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            if (user is null)
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            var synced = user.Data["onPremisesSyncEnabled"] is JsonValue s && s.GetValueKind() == JsonValueKind.True;
            foreach (var (name, value) in body.Where(p => !p.Key.StartsWith('@')))
            {
                if (!UserFactory.Writable.Contains(name))
                {
                    return GraphResult.Error(400, "Request_BadRequest", $"Property '{name}' is read-only or does not exist on type 'microsoft.graph.user'.");
                }

                if (synced && UserValidation.OnPremisesMastered.Contains(name))
                {
                    return GraphResult.BadRequest("Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.");
                }

                var invalid = name switch
                {
                    "displayName" when !UserValidation.IsString(value) => UserValidation.Invalid(name),
                    "accountEnabled" when !UserValidation.IsBool(value) => UserValidation.Invalid(name),
                    "usageLocation" when !UserValidation.IsUsageLocation(value) => UserValidation.Invalid(name),
                    "mailNickname" when !UserValidation.IsString(value) || !UserValidation.IsValidNickname(value!.GetValue<string>()) => UserValidation.Invalid(name),
                    "userPrincipalName" when !UserValidation.IsString(value) => UserValidation.Invalid(name),
                    "userPrincipalName" => UserValidation.CheckUserPrincipalName(call.Tenant, value!.GetValue<string>(), user),
                    "passwordProfile" when value is not JsonObject { } p || !UserValidation.IsString(p["password"]) => UserValidation.Invalid(name),
                    "passwordProfile" when !UserValidation.IsStrongPassword(value!["password"]!.GetValue<string>()) => UserValidation.WeakPassword(),
                    _ => null,
                };
                if (invalid is not null)
                {
                    return invalid;
                }
            }

            foreach (var (name, value) in body.Where(p => !p.Key.StartsWith('@')))
            {
                switch (name)
                {
                    case "passwordProfile":
                        user.PasswordChangedAt = call.Now;
                        break;
                    case "userPrincipalName":
                        call.Tenant.UsersByUpn.Remove(user.UserPrincipalName);
                        user.Data[name] = value!.DeepClone();
                        call.Tenant.UsersByUpn[user.UserPrincipalName] = user;
                        break;
                    default:
                        user.Data[name] = value?.DeepClone();
                        break;
                }
            }

            return GraphResult.NoContent();
        }
    }

    private static GraphResult Delete(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            if (user is null)
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            call.Tenant.RemoveUser(user);
            user.Data["deletedDateTime"] = TenantSeeder.Timestamp(call.Now);
            call.Tenant.DeletedUsers[user.Id] = user;
            foreach (var group in call.Tenant.Groups.Where(g => g.Members.Remove(user.Id)))
            {
                user.DeletedMemberships.Add(group.Id);
            }

            foreach (var license in user.Data["assignedLicenses"]!.AsArray())
            {
                var sku = call.Tenant.Skus.FirstOrDefault(s => s.SkuId == (string?)license!["skuId"]);
                if (sku is not null)
                {
                    sku.Consumed--;
                }
            }

            return GraphResult.NoContent();
        }
    }

    private static GraphResult ListDeleted(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            return CollectionQuery.Page(call, call.Tenant.DeletedUsers.Values.Select(u => u.Data), Shapes.User, "directory/deletedItems/microsoft.graph.user");
        }
    }

    private static GraphResult Restore(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            if (!call.Tenant.DeletedUsers.TryGetValue(call.Route("id"), out var user))
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            if (call.Body is JsonObject body && UserValidation.IsString(body["newUserPrincipalName"]))
            {
                var upn = body["newUserPrincipalName"]!.GetValue<string>();
                call.Tenant.DeletedUsers.Remove(user.Id);
                var refused = UserValidation.CheckUserPrincipalName(call.Tenant, upn, user);
                call.Tenant.DeletedUsers[user.Id] = user;
                if (refused is not null)
                {
                    return refused;
                }

                user.Data["userPrincipalName"] = upn;
            }
            else if (call.Tenant.FindUser(user.UserPrincipalName) is not null)
            {
                return UserValidation.Conflict("userPrincipalName");
            }

            foreach (var license in user.Data["assignedLicenses"]!.AsArray())
            {
                var sku = call.Tenant.Skus.FirstOrDefault(s => s.SkuId == (string?)license!["skuId"]);
                if (sku is not null)
                {
                    sku.Consumed++;
                }
            }

            call.Tenant.DeletedUsers.Remove(user.Id);
            user.Data["deletedDateTime"] = null;
            call.Tenant.AddUser(user);
            foreach (var groupId in user.DeletedMemberships)
            {
                if (call.Tenant.GroupsById.TryGetValue(groupId, out var group))
                {
                    group.Members.Add(user.Id);
                }
            }

            user.DeletedMemberships.Clear();
            var restored = CollectionQuery.Project(user.Data, null, Shapes.User);
            var result = new JsonObject { ["@odata.context"] = $"{call.ServiceRoot}$metadata#directoryObjects/$entity", ["@odata.type"] = "#microsoft.graph.user" };
            foreach (var (key, value) in restored)
            {
                result[key] = value?.DeepClone();
            }

            return GraphResult.Ok(result);
        }
    }

    private static GraphResult GetManager(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            if (user is null)
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            if (user.ManagerId is null || call.Tenant.FindUser(user.ManagerId) is not { } manager)
            {
                return GraphResult.NotFound("manager");
            }

            var data = manager.Data.DeepClone().AsObject();
            data["@odata.type"] = "#microsoft.graph.user";
            var result = CollectionQuery.Single(call, data, Shapes.User, "directoryObjects");
            return result;
        }
    }

    /// <summary>The object id at the end of an @odata.id reference URL.</summary>
    public static string? ReferencedId(JsonNode? body)
    {
        if (body is not JsonObject { } o || !UserValidation.IsString(o["@odata.id"]))
        {
            return null;
        }

        var segments = GraphCall.SplitPath(new Uri(o["@odata.id"]!.GetValue<string>(), UriKind.RelativeOrAbsolute) is { IsAbsoluteUri: true } u ? u.AbsolutePath : o["@odata.id"]!.GetValue<string>());
        return segments.Count > 0 ? segments[^1] : null;
    }

    private static GraphResult SetManager(GraphCall call)
    {
        var managerId = ReferencedId(call.Body);
        if (managerId is null)
        {
            return GraphResult.Error(400, "BadRequest", "Invalid request body: an @odata.id reference is required.");
        }

        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            if (user is null)
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            var manager = call.Tenant.FindUser(managerId, call.Now);
            if (manager is null)
            {
                return GraphResult.NotFound(managerId);
            }

            if (manager == user)
            {
                return GraphResult.BadRequest("A user cannot be their own manager.");
            }

            user.ManagerId = manager.Id;
            return GraphResult.NoContent();
        }
    }

    private static GraphResult RemoveManager(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            if (user is null)
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            if (user.ManagerId is null)
            {
                return GraphResult.NotFound("manager");
            }

            user.ManagerId = null;
            return GraphResult.NoContent();
        }
    }

    private static GraphResult DirectReports(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            if (user is null)
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            var reports = call.Tenant.Users.Where(u => string.Equals(u.ManagerId, user.Id, StringComparison.OrdinalIgnoreCase)).Select(u => WithType(u.Data, "#microsoft.graph.user"));
            return CollectionQuery.Page(call, reports, Shapes.User, "directoryObjects");
        }
    }

    private static GraphResult MemberOf(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            if (user is null)
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            var groups = call.Tenant.Groups.Where(g => g.Members.Contains(user.Id)).Select(g => WithType(g.Data, "#microsoft.graph.group"));
            var roles = call.Tenant.Roles.Where(r => r.Members.Contains(user.Id)).Select(GraphShapes.Role);
            return CollectionQuery.Page(call, groups.Concat(roles), Shapes.Group, "directoryObjects");
        }
    }

    public static JsonObject WithType(JsonObject data, string type)
    {
        var copy = new JsonObject { ["@odata.type"] = type };
        foreach (var (key, value) in data)
        {
            copy[key] = value?.DeepClone();
        }

        return copy;
    }
}
