using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;

namespace CippUsers.Graph;

/// <summary>
/// Runs one operation against a tenant: maps every error once, and retries "not found (yet)" answers with backoff
/// when the call touches an object created moments ago (eventual consistency, handled once).
/// </summary>
internal sealed class GraphCalls(
    TenantClients clients,
    CustomerTenants tenants,
    RecentlyCreated recent,
    TenantWriteLimiters limiters,
    IOptions<GraphOptions> options,
    TimeProvider time,
    ILogger<GraphCalls> log)
{
    public TenantClients Clients => clients;

    public RecentlyCreated Recent => recent;

    public TenantWriteLimiters Limiters => limiters;

    public TimeProvider Time => time;

    public bool IsKnown(string tenantId) => tenants.IsKnown(tenantId);

    public async Task<GraphResult<T>> RunAsync<T>(
        string tenantId,
        Func<GraphServiceClient, CancellationToken, Task<T>> call,
        CancellationToken ct,
        params string?[] touches)
    {
        if (!tenants.IsKnown(tenantId) && !string.Equals(options.Value.HomeTenantId, tenantId, StringComparison.OrdinalIgnoreCase))
            return GraphResult<T>.Fail(UnknownTenant);

        var client = clients.For(tenantId);
        var consistency = options.Value.Consistency;
        var started = time.GetTimestamp();
        var delay = consistency.FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            GraphFailure failure;
            try
            {
                return GraphResult<T>.Ok(await call(client, ct));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                failure = GraphErrors.FromException(e);
            }

            var waited = time.GetElapsedTime(started);
            if (failure.Kind != GraphFailureKind.NotFound || !recent.IsRecent(tenantId, touches) || waited + delay > consistency.MaxWait)
            {
                log.LogInformation("Graph call in {TenantId} failed: {Code} ({Kind}) request {RequestId} after {Attempts} attempt(s)",
                    tenantId, failure.Code, failure.Kind, failure.RequestId, attempt);
                return GraphResult<T>.Fail(failure);
            }

            log.LogDebug("Object in {TenantId} not replicated yet; retrying in {Delay}", tenantId, delay);
            await Task.Delay(delay, time, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(8).Ticks));
        }
    }

    public async Task<GraphResult> RunAsync(
        string tenantId,
        Func<GraphServiceClient, CancellationToken, Task> call,
        CancellationToken ct,
        params string?[] touches) =>
        (await RunAsync<bool>(tenantId, async (c, t) =>
        {
            await call(c, t);
            return true;
        }, ct, touches)).WithoutValue();

    internal static readonly GraphFailure UnknownTenant =
        new(GraphFailureKind.NotFound, "That tenant is not one of the customer tenants this bot manages.", null) { Code = "UnknownTenant" };
}
