using System.Globalization;
using System.Text.Json;

namespace CippUsers.Graph;

public sealed partial class UserOperations
{
    /// <summary>How many UPNs one <c>$filter=userPrincipalName in (...)</c> holds (Graph allows 15 values in an in clause).</summary>
    public const int UpnsPerLookup = 15;

    /// <summary>
    /// Which of <paramref name="userPrincipalNames"/> already exist in the tenant: UPN (as stored) → object id. One
    /// <c>userPrincipalName in (...)</c> query per 15 names, 20 queries per JSON batch, so 300 names cost one round trip.
    /// </summary>
    public Task<GraphResult<IReadOnlyDictionary<string, string>>> FindExistingAsync(string tenantId, IReadOnlyCollection<string> userPrincipalNames, CancellationToken ct) =>
        FindByAsync(tenantId, "userPrincipalName", userPrincipalNames, ct);

    /// <summary>Which of <paramref name="addresses"/> are the mail of a user in the tenant: mail → object id (same batching).</summary>
    public Task<GraphResult<IReadOnlyDictionary<string, string>>> FindByMailAsync(string tenantId, IReadOnlyCollection<string> addresses, CancellationToken ct) =>
        FindByAsync(tenantId, "mail", addresses, ct);

    private async Task<GraphResult<IReadOnlyDictionary<string, string>>> FindByAsync(string tenantId, string property, IReadOnlyCollection<string> userPrincipalNames, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(userPrincipalNames);
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!calls.IsKnown(tenantId))
            return GraphCalls.UnknownTenant;
        var names = userPrincipalNames.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (names.Count == 0)
            return GraphResult<IReadOnlyDictionary<string, string>>.Ok(found);

        string[] select = ["id", property];
        var items = names.Chunk(UpnsPerLookup).Select((chunk, i) => new BatchItem(i.ToString(CultureInfo.InvariantCulture), client =>
            client.Users.ToGetRequestInformation(r =>
            {
                r.QueryParameters.Filter = property + " in (" + string.Join(",", chunk.Select(Quote)) + ")";
                r.QueryParameters.Select = select;
                r.QueryParameters.Top = UpnsPerLookup;
            }), IsWrite: false)).ToList();

        var answers = await batch.SendAsync(tenantId, items, ct);
        foreach (var item in items)
        {
            var answer = answers[item.Id];
            if (!answer.Succeeded)
                return answer.Failure;
            if (answer.Value is null)
                continue;
            using var doc = JsonDocument.Parse(answer.Value);
            if (!doc.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var user in value.EnumerateArray())
            {
                if (user.TryGetProperty(property, out var upn) && user.TryGetProperty("id", out var id)
                    && upn.GetString() is { } u && id.GetString() is { } i)
                    found[u] = i;
            }
        }
        return GraphResult<IReadOnlyDictionary<string, string>>.Ok(found);
    }
}
