using Microsoft.Graph.Models;

namespace CippUsers.Graph;

/// <summary>A user's manager.</summary>
public sealed class ManagerOperations
{
    private readonly GraphCalls calls;

    internal ManagerOperations(GraphCalls calls) => this.calls = calls;

    /// <summary>The user's manager, or a successful null when the user has none.</summary>
    public async Task<GraphResult<TenantUser?>> GetAsync(string tenantId, string userId, CancellationToken ct)
    {
        var result = await calls.RunAsync<TenantUser?>(tenantId, async (client, t) =>
        {
            var manager = await UserOperations.ByIdOrUpn(client, userId).Manager.GetAsync(r => r.QueryParameters.Select = TenantUser.Select, t);
            return manager is User user ? TenantUser.From(user) : null;
        }, ct, userId);

        // Graph answers 404 "Resource 'manager' does not exist" for a user without one; tell that apart from a missing user.
        if (!result.Succeeded && result.Failure.Kind == GraphFailureKind.NotFound)
        {
            var exists = await calls.RunAsync(tenantId, (client, t) => UserOperations.ByIdOrUpn(client, userId, ["id"])
                .GetAsync(r => r.QueryParameters.Select = ["id"], t), ct, userId);
            if (exists.Succeeded)
                return GraphResult<TenantUser?>.Ok(null);
        }
        return result;
    }

    /// <summary>Makes <paramref name="managerId"/> the manager of <paramref name="userId"/>.</summary>
    public Task<GraphResult> SetAsync(string tenantId, string userId, string managerId, CancellationToken ct)
    {
        if (string.Equals(userId, managerId, StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(GraphResult.Fail(GraphFailure.Refused("A user cannot be their own manager.")));
        return calls.RunAsync(tenantId, (client, t) =>
        {
            var body = new ReferenceUpdate { OdataId = client.RequestAdapter.BaseUrl!.TrimEnd('/') + "/users/" + Uri.EscapeDataString(managerId) };
            return UserOperations.ByIdOrUpn(client, userId).Manager.Ref.PutAsync(body, cancellationToken: t);
        }, ct, userId, managerId);
    }

    /// <summary>Removes the user's manager. A user without a manager is already in the wanted state.</summary>
    public async Task<GraphResult> RemoveAsync(string tenantId, string userId, CancellationToken ct)
    {
        var result = await calls.RunAsync(tenantId, (client, t) => UserOperations.ByIdOrUpn(client, userId).Manager.Ref.DeleteAsync(cancellationToken: t), ct, userId);
        if (!result.Succeeded && result.Failure.Kind == GraphFailureKind.NotFound)
        {
            var current = await GetAsync(tenantId, userId, ct);
            if (current.Succeeded && current.Value is null)
                return GraphResult.Ok();
        }
        return result;
    }
}
