using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Graph.Query;
using CippUsers.TenantEmulator.Seeding;

namespace CippUsers.TenantEmulator.Graph.Authentication;

/// <summary>Authentication methods, Temporary Access Passes and sign-in session revocation.</summary>
internal static class AuthenticationRoutes
{
    private const string PasswordMethodId = "28c10230-6103-485e-b985-444c60001490";

    private static readonly Dictionary<string, string> MethodTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["phoneMethods"] = "#microsoft.graph.phoneAuthenticationMethod",
        ["microsoftAuthenticatorMethods"] = "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
        ["windowsHelloForBusinessMethods"] = "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
        ["fido2Methods"] = "#microsoft.graph.fido2AuthenticationMethod",
        ["softwareOathMethods"] = "#microsoft.graph.softwareOathAuthenticationMethod",
        ["emailMethods"] = "#microsoft.graph.emailAuthenticationMethod",
        ["temporaryAccessPassMethods"] = "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
        ["passwordMethods"] = "#microsoft.graph.passwordAuthenticationMethod",
    };

    public static void Map(GraphRouter router) => router
        .Map("POST", "users/{id}/revokeSignInSessions", Revoke)
        .Map("GET", "users/{id}/authentication/methods", ListMethods)
        .Map("GET", "users/{id}/authentication/{kind}", ListKind)
        .Map("POST", "users/{id}/authentication/temporaryAccessPassMethods", CreateTap)
        .Map("DELETE", "users/{id}/authentication/{kind}/{methodId}", DeleteMethod);

    private static GraphResult Revoke(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            if (user is null)
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            user.SessionsRevokedAt = call.Now;
            return GraphResult.Ok(new JsonObject { ["@odata.context"] = $"{call.ServiceRoot}$metadata#Edm.Boolean", ["value"] = true });
        }
    }

    private static GraphResult ListMethods(GraphCall call)
    {
        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            return user is null
                ? GraphResult.NotFound(call.Route("id"))
                : CollectionQuery.Page(call, user.AuthenticationMethods, Shapes.AuthenticationMethod with { DefaultSelect = null }, $"users('{user.Id}')/authentication/methods");
        }
    }

    private static GraphResult ListKind(GraphCall call)
    {
        if (!MethodTypes.TryGetValue(call.Route("kind"), out var type))
        {
            return GraphResult.Error(400, "BadRequest", $"Resource not found for the segment '{call.Route("kind")}'.");
        }

        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            return user is null
                ? GraphResult.NotFound(call.Route("id"))
                : CollectionQuery.Page(call, user.AuthenticationMethods.Where(m => (string?)m["@odata.type"] == type), Shapes.AuthenticationMethod, $"users('{user.Id}')/authentication/{call.Route("kind")}");
        }
    }

    private static GraphResult CreateTap(GraphCall call)
    {
        var body = call.Body as JsonObject ?? [];
        var lifetime = body["lifetimeInMinutes"] is JsonValue l && l.GetValueKind() == JsonValueKind.Number ? l.GetValue<int>() : 60;
        if (lifetime is < 10 or > 43200)
        {
            return GraphResult.Error(400, "badRequest", "lifetimeInMinutes must be between 10 and 43200.");
        }

        var isUsableOnce = body["isUsableOnce"] is JsonValue u && u.GetValueKind() == JsonValueKind.True;
        var now = call.Now;
        var start = body["startDateTime"] is JsonValue s && s.GetValueKind() == JsonValueKind.String ? DateTimeOffset.Parse(s.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : now;
        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            if (user is null)
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            user.AuthenticationMethods.RemoveAll(m => (string?)m["@odata.type"] == MethodTypes["temporaryAccessPassMethods"]);
            var usable = start <= now;
            var method = new JsonObject
            {
                ["@odata.type"] = MethodTypes["temporaryAccessPassMethods"],
                ["id"] = Guid.NewGuid().ToString(),
                ["temporaryAccessPass"] = null,
                ["createdDateTime"] = TenantSeeder.Timestamp(now),
                ["startDateTime"] = TenantSeeder.Timestamp(start),
                ["lifetimeInMinutes"] = lifetime,
                ["isUsableOnce"] = isUsableOnce,
                ["isUsable"] = usable,
                ["methodUsabilityReason"] = usable ? "EnabledByPolicy" : "NotYetValid",
            };
            user.AuthenticationMethods.Add(method);
            var answer = method.DeepClone().AsObject();
            answer["temporaryAccessPass"] = NewPass();
            var result = new JsonObject { ["@odata.context"] = $"{call.ServiceRoot}$metadata#users('{user.Id}')/authentication/temporaryAccessPassMethods/$entity" };
            foreach (var (key, value) in answer)
            {
                result[key] = value?.DeepClone();
            }

            return GraphResult.Created(result);
        }
    }

    private static GraphResult DeleteMethod(GraphCall call)
    {
        if (!MethodTypes.TryGetValue(call.Route("kind"), out var type))
        {
            return GraphResult.Error(400, "BadRequest", $"Resource not found for the segment '{call.Route("kind")}'.");
        }

        lock (call.Tenant.Gate)
        {
            var user = call.Tenant.FindUser(call.Route("id"), call.Now);
            if (user is null)
            {
                return GraphResult.NotFound(call.Route("id"));
            }

            if (call.Route("methodId") == PasswordMethodId)
            {
                return GraphResult.Error(400, "badRequest", "The password authentication method cannot be deleted.");
            }

            var removed = user.AuthenticationMethods.RemoveAll(m => (string?)m["@odata.type"] == type && string.Equals((string?)m["id"], call.Route("methodId"), StringComparison.OrdinalIgnoreCase));
            return removed > 0 ? GraphResult.NoContent() : GraphResult.NotFound(call.Route("methodId"));
        }
    }

    private static string NewPass()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#$%&*+-=?@^";
        return new string([.. Enumerable.Range(0, 12).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)])]);
    }
}
