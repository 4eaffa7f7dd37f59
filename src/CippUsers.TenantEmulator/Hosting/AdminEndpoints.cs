using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CippUsers.TenantEmulator.Hosting;

/// <summary>The emulator's own API for tests and benchmarks: tenants, realism switches and the request journal.</summary>
internal static class AdminEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapAdminEndpoints(this WebApplication app, EmulatorContext context)
    {
        var admin = app.MapGroup("/_emulator");
        admin.MapGet("/tenants", () => Results.Json(context.State.All.Select(t => t.Info), Json));
        admin.MapGet("/tenants/{tenantId}/realism", (string tenantId) =>
            context.State.TryGetTenant(tenantId, out var tenant) ? Results.Json(ToJson(tenant.Realism)) : Results.NotFound());
        admin.MapPut("/tenants/{tenantId}/realism", async (string tenantId, HttpRequest request) =>
        {
            if (!context.State.TryGetTenant(tenantId, out var tenant))
            {
                return Results.NotFound();
            }

            try
            {
                var body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject
                    ?? throw new ArgumentException("Send a JSON object.");
                var settings = Apply(tenant.Realism, body);
                tenant.SetRealism(settings);
                return Results.Json(ToJson(tenant.Realism));
            }
            catch (Exception e) when (e is ArgumentException or JsonException or FormatException or InvalidOperationException)
            {
                return Results.BadRequest(new JsonObject { ["error"] = e.Message });
            }
        });
        admin.MapGet("/journal", () => Results.Json(context.Journal.Entries.Select(e => new JsonObject
        {
            ["at"] = e.At,
            ["method"] = e.Method,
            ["path"] = e.Path,
            ["tenantId"] = e.TenantId,
            ["status"] = e.Status,
            ["durationMs"] = e.Duration.TotalMilliseconds,
            ["throttled"] = e.Throttled,
            ["batchItem"] = e.BatchItem,
        })));
        admin.MapDelete("/journal", () =>
        {
            context.Journal.Reset();
            return Results.NoContent();
        });
    }

    /// <summary>Applies the fields present in <paramref name="body"/> (milliseconds for times, seconds for windows and delays).</summary>
    private static RealismSettings Apply(RealismSettings current, JsonObject body)
    {
        var next = current.Copy();
        foreach (var (name, value) in body)
        {
            switch (name)
            {
                case "latencyMs": next.Latency = TimeSpan.FromMilliseconds(value!.GetValue<double>()); break;
                case "latencyJitterMs": next.LatencyJitter = TimeSpan.FromMilliseconds(value!.GetValue<double>()); break;
                case "throttlingEnabled": next.ThrottlingEnabled = value!.GetValue<bool>(); break;
                case "writeBudget": next.WriteBudget = value!.GetValue<int>(); break;
                case "writeBudgetWindowSeconds": next.WriteBudgetWindow = TimeSpan.FromSeconds(value!.GetValue<double>()); break;
                case "replicationDelaySeconds": next.ReplicationDelay = TimeSpan.FromSeconds(value!.GetValue<double>()); break;
                case "exchangeBudget": next.ExchangeBudget = value!.GetValue<int>(); break;
                case "exchangeBudgetWindowSeconds": next.ExchangeBudgetWindow = TimeSpan.FromSeconds(value!.GetValue<double>()); break;
                case "faultRate": next.FaultRate = value!.GetValue<double>(); break;
                case "faults": next.Faults = [.. value!.AsArray().Select(f => Enum.Parse<InjectedFault>(f!.GetValue<string>(), ignoreCase: true))]; break;
                default: throw new ArgumentException($"Unknown realism setting '{name}'.");
            }
        }

        next.Validate();
        return next;
    }

    private static JsonObject ToJson(RealismSettings r) => new()
    {
        ["latencyMs"] = r.Latency.TotalMilliseconds,
        ["latencyJitterMs"] = r.LatencyJitter.TotalMilliseconds,
        ["throttlingEnabled"] = r.ThrottlingEnabled,
        ["writeBudget"] = r.WriteBudget,
        ["writeBudgetWindowSeconds"] = r.WriteBudgetWindow.TotalSeconds,
        ["replicationDelaySeconds"] = r.ReplicationDelay.TotalSeconds,
        ["exchangeBudget"] = r.ExchangeBudget,
        ["exchangeBudgetWindowSeconds"] = r.ExchangeBudgetWindow.TotalSeconds,
        ["faultRate"] = r.FaultRate,
        ["faults"] = new JsonArray([.. r.Faults.Select(f => (JsonNode)f.ToString())]),
    };
}
