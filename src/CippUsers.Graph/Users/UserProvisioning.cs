using Microsoft.Extensions.Logging;
using Microsoft.Graph.Models;

namespace CippUsers.Graph;

/// <summary>The follow-up steps after the create call, in the order they run (cipp-behaviour.md §1).</summary>
public enum ProvisioningStepKind
{
    Create,
    Aliases,
    Licenses,
    Manager,
    CopyGroups,
    CustomAttributes,
    Groups,
}

/// <summary>Everything to create one user: the create body plus the follow-up steps. The password is in <see cref="NewUser"/>.</summary>
public sealed record ProvisioningRequest(NewUser User)
{
    /// <summary>Alias local parts (or full addresses); a bare alias gets the UPN's domain.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public IReadOnlyList<Guid> Licenses { get; init; } = [];
    /// <summary>Manager id or UPN.</summary>
    public string? Manager { get; init; }
    /// <summary>Id or UPN of the user whose group memberships are copied.</summary>
    public string? CopyGroupsFrom { get; init; }
    /// <summary>Object ids of groups the user joins (a user template's groups).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];
    /// <summary>Extra user properties by Graph name (employeeId, extension_&lt;app&gt;_x, ...), written after the create.</summary>
    public IReadOnlyDictionary<string, string> CustomAttributes { get; init; } = new Dictionary<string, string>();

    /// <summary>The steps this request needs after the create, in run order.</summary>
    public IReadOnlyList<ProvisioningStepKind> FollowUps()
    {
        var steps = new List<ProvisioningStepKind>();
        if (Aliases.Count > 0)
            steps.Add(ProvisioningStepKind.Aliases);
        if (Licenses.Count > 0)
            steps.Add(ProvisioningStepKind.Licenses);
        if (!string.IsNullOrWhiteSpace(Manager))
            steps.Add(ProvisioningStepKind.Manager);
        if (!string.IsNullOrWhiteSpace(CopyGroupsFrom))
            steps.Add(ProvisioningStepKind.CopyGroups);
        if (CustomAttributes.Count > 0)
            steps.Add(ProvisioningStepKind.CustomAttributes);
        if (Groups.Count > 0)
            steps.Add(ProvisioningStepKind.Groups);
        return steps;
    }
}

/// <summary>One step's outcome; <see cref="Message"/> is card-safe text (never a secret).</summary>
public sealed record ProvisioningStep(ProvisioningStepKind Kind, bool Succeeded, string Message);

/// <summary>The created user (null when the create failed) and every step's outcome, create first.</summary>
public sealed record ProvisioningResult(TenantUser? User, IReadOnlyList<ProvisioningStep> Steps)
{
    public bool Created => User is not null;
    public bool AllSucceeded => Steps.All(s => s.Succeeded);
}

/// <summary>
/// Creates a user and runs the follow-up steps one by one, each reported ✓/✗ with its reason; a failed step does not stop
/// the others and can be run again alone with <see cref="RunStepAsync"/>. Used by Add User and bulk add. Follow-up calls go
/// through the Graph pipeline, which waits out replication delay for the user created moments ago.
/// </summary>
public sealed class UserProvisioning
{
    private readonly GraphCalls calls;
    private readonly UserOperations users;
    private readonly LicenseOperations licenses;
    private readonly ManagerOperations managers;
    private readonly GroupOperations groups;
    private readonly ILogger<UserProvisioning> log;

    internal UserProvisioning(GraphCalls calls, UserOperations users, LicenseOperations licenses, ManagerOperations managers, GroupOperations groups, ILogger<UserProvisioning> log)
    {
        this.calls = calls;
        this.users = users;
        this.licenses = licenses;
        this.managers = managers;
        this.groups = groups;
        this.log = log;
    }

    /// <summary>Creates the user, then runs every follow-up step. Nothing else runs when the create fails.</summary>
    public async Task<ProvisioningResult> ProvisionAsync(string tenantId, ProvisioningRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await users.CreateAsync(tenantId, request.User, ct);
        if (!created.Succeeded)
            return new ProvisioningResult(null, [new ProvisioningStep(ProvisioningStepKind.Create, false, "Failed to create the user: " + created.Failure.Message)]);

        var user = created.Value!;
        var steps = new List<ProvisioningStep> { new(ProvisioningStepKind.Create, true, $"Created {user.UserPrincipalName}") };
        foreach (var kind in request.FollowUps())
            steps.Add(await RunStepAsync(tenantId, user.Id, user.UserPrincipalName, kind, request, ct));
        log.LogInformation("Provisioned user {UserId} in {TenantId}: {Failed} of {Steps} steps failed",
            user.Id, tenantId, steps.Count(s => !s.Succeeded), steps.Count);
        return new ProvisioningResult(user, steps);
    }

    /// <summary>Runs one follow-up step for an existing user (a retry from the result card). Never re-creates the user.</summary>
    public async Task<ProvisioningStep> RunStepAsync(string tenantId, string userId, string userPrincipalName, ProvisioningStepKind kind, ProvisioningRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return kind switch
            {
                ProvisioningStepKind.Aliases => await AliasesAsync(tenantId, userId, userPrincipalName, request.Aliases, ct),
                ProvisioningStepKind.Licenses => Step(kind, await licenses.AssignAsync(tenantId, userId, request.Licenses, [], ct),
                    $"Assigned {request.Licenses.Count} license(s)"),
                ProvisioningStepKind.Manager => await ManagerAsync(tenantId, userId, request.Manager!, ct),
                ProvisioningStepKind.CopyGroups => await CopyGroupsAsync(tenantId, userId, request.CopyGroupsFrom!, ct),
                ProvisioningStepKind.CustomAttributes => await AttributesAsync(tenantId, userId, request.CustomAttributes, ct),
                ProvisioningStepKind.Groups => await GroupsAsync(tenantId, userId, request.Groups, ct),
                _ => new ProvisioningStep(kind, false, "The user is created only once; this step cannot be run again."),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Provisioning step {Step} failed for {UserId} in {TenantId}", kind, userId, tenantId);
            return new ProvisioningStep(kind, false, "Unexpected error; see the bot's logs.");
        }
    }

    private static ProvisioningStep Step(ProvisioningStepKind kind, GraphResult result, string success) =>
        result.Succeeded ? new(kind, true, success) : new(kind, false, result.Failure.Message);

    // CIPP's way without Exchange: set mail to each alias (Entra keeps former mail values as smtp: proxy addresses), then
    // back to the UPN so it stays primary.
    private async Task<ProvisioningStep> AliasesAsync(string tenantId, string userId, string upn, IReadOnlyList<string> aliases, CancellationToken ct)
    {
        var domain = upn[(upn.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var addresses = aliases.Select(a => a.Contains('@', StringComparison.Ordinal) ? a : $"{a}@{domain}").ToList();
        foreach (var address in addresses)
        {
            var set = await calls.RunAsync(tenantId, (client, t) => UserOperations.ByIdOrUpn(client, userId).PatchAsync(new User { Mail = address }, cancellationToken: t), ct, userId);
            if (!set.Succeeded)
                return new ProvisioningStep(ProvisioningStepKind.Aliases, false, $"Alias {address}: {set.Failure.Message}");
        }
        var back = await calls.RunAsync(tenantId, (client, t) => UserOperations.ByIdOrUpn(client, userId).PatchAsync(new User { Mail = upn }, cancellationToken: t), ct, userId);
        return back.Succeeded
            ? new ProvisioningStep(ProvisioningStepKind.Aliases, true, "Added aliases: " + string.Join(", ", addresses))
            : new ProvisioningStep(ProvisioningStepKind.Aliases, false, back.Failure.Message);
    }

    private async Task<ProvisioningStep> ManagerAsync(string tenantId, string userId, string manager, CancellationToken ct)
    {
        var found = await users.GetAsync(tenantId, manager, ct);
        if (!found.Succeeded)
            return new ProvisioningStep(ProvisioningStepKind.Manager, false, $"Manager {manager}: {found.Failure.Message}");
        return Step(ProvisioningStepKind.Manager, await managers.SetAsync(tenantId, userId, found.Value!.Id, ct), $"Manager set to {found.Value.DisplayName}");
    }

    private async Task<ProvisioningStep> CopyGroupsAsync(string tenantId, string userId, string from, CancellationToken ct)
    {
        var source = await users.GetAsync(tenantId, from, ct);
        if (!source.Succeeded)
            return new ProvisioningStep(ProvisioningStepKind.CopyGroups, false, $"Copy groups from {from}: {source.Failure.Message}");
        var copied = await groups.CopyGroupsAsync(tenantId, source.Value!.Id, userId, ct);
        if (!copied.Succeeded)
            return new ProvisioningStep(ProvisioningStepKind.CopyGroups, false, copied.Failure.Message);
        var report = copied.Value!;
        var parts = new List<string> { $"Added to {report.Added.Count()} group(s)" };
        if (report.Skipped.Any())
            parts.Add("skipped " + string.Join("; ", report.Skipped.Select(g => $"{g.Group.DisplayName} ({g.Reason ?? g.Status.ToString()})")));
        if (report.Failed.Any())
            parts.Add("failed " + string.Join("; ", report.Failed.Select(g => $"{g.Group.DisplayName} ({g.Reason})")));
        return new ProvisioningStep(ProvisioningStepKind.CopyGroups, !report.Failed.Any(), string.Join(", ", parts));
    }

    private async Task<ProvisioningStep> GroupsAsync(string tenantId, string userId, IReadOnlyList<string> groupIds, CancellationToken ct)
    {
        var added = await groups.AddMemberToGroupsAsync(tenantId, userId, groupIds, ct);
        if (!added.Succeeded)
            return new ProvisioningStep(ProvisioningStepKind.Groups, false, added.Failure.Message);
        var outcomes = added.Value!;
        var failed = outcomes.Where(o => o.Status == GroupChangeStatus.Failed).ToList();
        var joined = outcomes.Where(o => o.Status is GroupChangeStatus.Added or GroupChangeStatus.AlreadyMember).Select(o => o.Group.DisplayName).ToList();
        var parts = new List<string> { joined.Count > 0 ? "Added to " + string.Join(", ", joined) : "Added to no group" };
        var skipped = outcomes.Where(o => o.Status == GroupChangeStatus.Skipped).ToList();
        if (skipped.Count > 0)
            parts.Add("skipped " + string.Join("; ", skipped.Select(o => $"{o.Group.DisplayName} ({o.Reason})")));
        if (failed.Count > 0)
            parts.Add("failed " + string.Join("; ", failed.Select(o => $"{o.Group.DisplayName} ({o.Reason})")));
        return new ProvisioningStep(ProvisioningStepKind.Groups, failed.Count == 0 && skipped.Count == 0, string.Join(", ", parts));
    }

    // Typed attributes go to Graph as their JSON type: showInAddressList is a boolean, otherMails a string collection.
    private static object AttributeValue(string name, string value)
    {
        if (bool.TryParse(value, out var flag) && string.Equals(name, "showInAddressList", StringComparison.OrdinalIgnoreCase))
            return flag;
        if (string.Equals(name, "otherMails", StringComparison.OrdinalIgnoreCase))
            return value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return value;
    }

    private async Task<ProvisioningStep> AttributesAsync(string tenantId, string userId, IReadOnlyDictionary<string, string> attributes, CancellationToken ct)
    {
        var body = new User();
        foreach (var (name, value) in attributes)
            body.AdditionalData[name] = AttributeValue(name, value);
        var result = await calls.RunAsync(tenantId, (client, t) => UserOperations.ByIdOrUpn(client, userId).PatchAsync(body, cancellationToken: t), ct, userId);
        return Step(ProvisioningStepKind.CustomAttributes, result.WithoutValue(), "Set " + string.Join(", ", attributes.Keys));
    }
}
