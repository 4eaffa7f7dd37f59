using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CippUsers.TenantEmulator.Auth;

/// <summary>
/// The Microsoft identity platform subset the client-credentials flow needs: the v2.0 token endpoint per tenant,
/// and the discovery documents MSAL may read first.
/// </summary>
internal static class TokenEndpoints
{
    public static void MapTokenEndpoints(this WebApplication app, EmulatorContext context)
    {
        app.MapPost("/{tenantId}/oauth2/v2.0/token", (string tenantId, HttpRequest request) => IssueAsync(tenantId, request, context));
        app.MapGet("/{tenantId}/v2.0/.well-known/openid-configuration", (string tenantId) => Results.Json(OpenIdConfiguration(context.BaseUri, tenantId)));
        app.MapGet("/{tenantId}/.well-known/openid-configuration", (string tenantId) => Results.Json(OpenIdConfiguration(context.BaseUri, tenantId)));
        app.MapGet("/common/discovery/instance", () => Results.Json(new JsonObject
        {
            ["tenant_discovery_endpoint"] = $"{context.BaseUri}common/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new JsonArray(new JsonObject
            {
                ["preferred_network"] = context.BaseUri.Authority,
                ["preferred_cache"] = context.BaseUri.Authority,
                ["aliases"] = new JsonArray(context.BaseUri.Authority),
            }),
        }));
    }

    private static async Task<IResult> IssueAsync(string tenantId, HttpRequest request, EmulatorContext context)
    {
        if (!request.HasFormContentType)
        {
            return OAuthError(400, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'grant_type'.");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        if (form["grant_type"] != "client_credentials")
        {
            return OAuthError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type. Only client_credentials is served.");
        }

        if (!context.State.TryGetTenant(tenantId, out _))
        {
            return OAuthError(400, "invalid_request", $"AADSTS90002: Tenant '{tenantId}' not found.");
        }

        if (!string.Equals(form["client_id"], context.Settings.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            return OAuthError(400, "unauthorized_client", $"AADSTS700016: Application with identifier '{form["client_id"]}' was not found in the directory.");
        }

        var secret = form["client_secret"].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(context.Settings.ClientSecret)))
        {
            return OAuthError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
        }

        var audience = TokenAudiences.FromScope(form["scope"].ToString());
        if (audience is null)
        {
            return OAuthError(400, "invalid_resource", $"AADSTS500011: The resource principal named {form["scope"]} was not found in the tenant named {tenantId}.");
        }

        var seconds = (long)context.Tokens.Lifetime.TotalSeconds;
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = seconds,
            ["ext_expires_in"] = seconds,
            ["access_token"] = context.Tokens.Issue(tenantId, context.Settings.ClientId, audience),
        });
    }

    private static IResult OAuthError(int status, string error, string description) => Results.Json(
        new JsonObject
        {
            ["error"] = error,
            ["error_description"] = description,
            ["error_codes"] = new JsonArray(int.Parse(description[6..description.IndexOf(':', StringComparison.Ordinal)])),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        },
        statusCode: status);

    private static JsonObject OpenIdConfiguration(Uri baseUri, string tenantId) => new()
    {
        ["token_endpoint"] = $"{baseUri}{tenantId}/oauth2/v2.0/token",
        ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
        ["issuer"] = $"{baseUri}{tenantId}/v2.0",
        ["authorization_endpoint"] = $"{baseUri}{tenantId}/oauth2/v2.0/authorize",
        ["jwks_uri"] = $"{baseUri}{tenantId}/discovery/v2.0/keys",
        ["response_types_supported"] = new JsonArray("code", "id_token", "token"),
        ["subject_types_supported"] = new JsonArray("pairwise"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["tenant_region_scope"] = "EU",
    };
}
