using System.Collections.Concurrent;
using System.Globalization;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Storage;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.BulkAdd;

/// Creates the rows of a confirmed bulk add: creates in JSON batches of 20 (one round trip per 20 users), then each
/// created user's steps as in Add User (licenses, manager, groups). Passwords are generated here, at run time, and exist
/// only in memory until they are written into the results file; typed passwords come from the in-memory hand-off.
internal sealed class BulkAddJob(
    ImportJobRunner runner,
    BulkAddKind kind,
    UserOperations users,
    UserProvisioning provisioning,
    GroupOperations groups,
    LicenseOperations licenses,
    CustomerTenants tenants,
    ImportPasswords typedPasswords,
    PreferenceStore preferences) : IOperationJob, IImportRowProcessor
{
    private readonly ConcurrentDictionary<int, string> generated = new();
    private readonly ConcurrentDictionary<string, string?> groupIds = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyDictionary<int, string> typed = new Dictionary<int, string>();
    private AddUserPreferences? prefs;

    public int ChunkSize => 20;

    public async Task ExecuteAsync(Guid operationId, CancellationToken ct)
    {
        typed = typedPasswords.Get(operationId);
        await runner.RunAsync(kind, this, operationId, ct);
    }

    public async Task<IReadOnlyList<RowUpdate>> RecoverAsync(PendingOperation op, IReadOnlyList<StoredRow> inFlight, CancellationToken ct)
    {
        var byUpn = inFlight.ToDictionary(r => Row(op, r).UserPrincipalName, StringComparer.OrdinalIgnoreCase);
        var existing = await users.FindExistingAsync(op.TenantId, byUpn.Keys, ct);
        if (!existing.Succeeded)
            throw new InvalidOperationException("Could not check the rows in flight before resuming; the job will be retried.");
        return [.. inFlight.Select(r => existing.Value!.TryGetValue(Row(op, r).UserPrincipalName, out var id)
            ? new RowUpdate(r.Index, ImportRowState.Created, id, "Created before the bot restarted")
            : new RowUpdate(r.Index, ImportRowState.Pending, null, null))];
    }

    public async Task<ChunkOutcome> ProcessAsync(PendingOperation op, IReadOnlyList<StoredRow> chunk, CancellationToken ct)
    {
        prefs ??= await AddUserPreferences.ReadAsync(preferences, op.TenantId, ct);
        var updates = new ConcurrentBag<RowUpdate>();
        var created = new List<(StoredRow Row, string Id, string Message)>(chunk.Where(r => r.State == ImportRowState.Created).Select(r => (r, r.ObjectId!, r.Detail ?? "Created")));
        var throttled = false;

        var toCreate = new List<(StoredRow Row, NewUser User)>();
        foreach (var row in chunk.Where(r => r.State == ImportRowState.InFlight))
        {
            string password;
            if (row.PasswordGiven)
            {
                if (!typed.TryGetValue(row.Index, out var fromFile))
                {
                    updates.Add(new RowUpdate(row.Index, ImportRowState.Failed, null,
                        "Not created: the password from the file was lost when the bot restarted (typed passwords are never stored). Run this row again."));
                    continue;
                }
                password = fromFile;
            }
            else
            {
                password = generated.GetOrAdd(row.Index, _ => prefs.NewPassword());
            }
            toCreate.Add((row, Row(op, row).ToNewUser(password)));
        }

        if (toCreate.Count > 0)
        {
            var results = await users.CreateManyAsync(op.TenantId, [.. toCreate.Select(c => c.User)], ct);
            for (var i = 0; i < toCreate.Count; i++)
            {
                var (row, _) = toCreate[i];
                var result = results[i];
                if (result.Succeeded)
                    created.Add((row, result.Value!.Id, "Created"));
                else if (result.Failure.Kind is GraphFailureKind.Throttled or GraphFailureKind.Unavailable)
                {
                    throttled = true;
                    updates.Add(new RowUpdate(row.Index, ImportRowState.Pending, null, null));
                }
                else
                    updates.Add(new RowUpdate(row.Index, ImportRowState.Failed, null, "Not created: " + result.Failure.Message));
            }
        }

        await Task.WhenAll(created.Select(async c => updates.Add(await FollowUpsAsync(op, c.Row, c.Id, ct))));
        return new ChunkOutcome([.. updates], throttled);
    }

    private async Task<RowUpdate> FollowUpsAsync(PendingOperation op, StoredRow stored, string userId, CancellationToken ct)
    {
        var row = Row(op, stored);
        var request = new ProvisioningRequest(row.ToNewUser("unused-after-create"))
        {
            Licenses = await LicensesAsync(op, row, ct),
            Manager = row[ImportColumns.Manager],
        };
        var failures = new List<string>();
        foreach (var step in request.FollowUps())
        {
            var outcome = await provisioning.RunStepAsync(op.TenantId, userId, row.UserPrincipalName, step, request, ct);
            if (!outcome.Succeeded)
                failures.Add($"{AddUserJob.StepTitle(step)}: {outcome.Message}");
        }
        if (row.Groups.Count > 0)
        {
            var ids = new List<string>();
            foreach (var name in row.Groups)
            {
                var id = await GroupIdAsync(op.TenantId, name, ct);
                if (id is null)
                    failures.Add($"Groups: {name} not found");
                else
                    ids.Add(id);
            }
            if (ids.Count > 0)
            {
                var added = await groups.AddMemberToGroupsAsync(op.TenantId, userId, ids, ct);
                if (!added.Succeeded)
                    failures.Add("Groups: " + added.Failure.Message);
                else
                    failures.AddRange(added.Value!.Where(o => o.Status is GroupChangeStatus.Failed or GroupChangeStatus.Skipped).Select(o => $"Groups: {o.Group.DisplayName} ({o.Reason ?? o.Status.ToString()})"));
            }
        }
        return failures.Count == 0
            ? new RowUpdate(stored.Index, ImportRowState.Succeeded, userId, stored.State == ImportRowState.Created ? stored.Detail ?? "Created" : "Created")
            : new RowUpdate(stored.Index, ImportRowState.PartlySucceeded, userId, "Created; " + string.Join("; ", failures));
    }

    private async Task<IReadOnlyList<Guid>> LicensesAsync(PendingOperation op, BulkAddRow row, CancellationToken ct)
    {
        var ids = new List<Guid>();
        if (op.Parameters[BulkAddKind.LicensesOption]?.ToString() is { Length: > 0 } chosen)
            ids.AddRange(chosen.Split(',').Select(s => Guid.TryParse(s, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty));
        if (row.Licenses.Count > 0)
        {
            skus ??= (await licenses.ListSkusAsync(op.TenantId, ct)) is { Succeeded: true } list ? list.Value! : [];
            ids.AddRange(row.Licenses.Select(l => BulkAddKind.FindSku(skus, l)?.SkuId).OfType<Guid>());
        }
        return [.. ids.Distinct()];
    }

    private IReadOnlyList<LicenseSku>? skus;

    private async Task<string?> GroupIdAsync(string tenantId, string name, CancellationToken ct)
    {
        if (groupIds.TryGetValue(name, out var known))
            return known;
        var resolved = await kind.ResolveGroupsAsync(tenantId, [name], ct);
        return groupIds[name] = resolved.GetValueOrDefault(name);
    }

    public (string FileName, IReadOnlyList<string> Header) ResultsFile(PendingOperation op) =>
        ($"bulk-add-{op.TenantName.Replace(' ', '-')}-{op.CreatedAt.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.csv",
            ["line", "outcome", "reason", "userPrincipalName", "displayName", "objectId", "password"]);

    public IReadOnlyList<string?> ResultsLine(StoredRow row)
    {
        var user = new BulkAddRow(row.Values, row.Values.GetValueOrDefault(ImportColumns.Domain) ?? "", null);
        string? password = null;
        if (row.State is ImportRowState.Succeeded or ImportRowState.PartlySucceeded)
        {
            password = row.PasswordGiven ? "(the password from your file)"
                : generated.TryGetValue(row.Index, out var p) ? p
                : "(not available: the bot restarted after creating this user; use Reset Password)";
        }
        return [row.Line > 0 ? row.Line.ToString(CultureInfo.InvariantCulture) : ImportCards.LineText(row.Line), Outcome(row.State), row.Detail,
            upns.GetValueOrDefault(row.Index) ?? user.UserPrincipalName, user.DisplayName, row.ObjectId, password];
    }

    private readonly ConcurrentDictionary<int, string> upns = new();

    // Stored rows carry username and domain (filled in at preview); the tenant's domain is only a fallback.
    private BulkAddRow Row(PendingOperation op, StoredRow row)
    {
        var tenant = tenants.Find(op.TenantId);
        var parsed = new BulkAddRow(row.Values, tenant?.DefaultDomain ?? "", op.Parameters[BulkAddKind.UsageLocationOption]?.ToString());
        upns[row.Index] = parsed.UserPrincipalName;
        return parsed;
    }

    internal static string Outcome(ImportRowState state) => state switch
    {
        ImportRowState.Succeeded => "Succeeded",
        ImportRowState.PartlySucceeded => "Partly succeeded",
        ImportRowState.Failed => "Failed",
        ImportRowState.Invalid => "Skipped",
        ImportRowState.Pending or ImportRowState.InFlight or ImportRowState.Created => "Not finished",
        _ => state.ToString(),
    };
}
