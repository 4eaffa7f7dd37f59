using CippUsers.Bot.Catalog;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// Edit User (cipp-behaviour.md §4.2): PATCH of only the properties the tech changed on the edit card (the operation's
/// parameters: Graph name → new value, empty = clear with an explicit null), then licences, group removals and additions
/// and copying groups as separate steps. Like CIPP, later steps run even when an earlier one failed; each step is one
/// ✓/✗ line of the result, and the target succeeds only when every step did.
internal sealed class EditUserRunner(UserOperations users, LicenseOperations licenses, GroupOperations groups) : IActionRunner
{
    public const string Id = "edit-user";

    public string ActionId => Id;

    public async Task<TargetOutcome> RunAsync(ActionRun run, ActionTarget target, CancellationToken ct)
    {
        var edits = run.Parameters.Where(p => !p.Key.StartsWith('_') && !EditUserMemberships.Keys.Contains(p.Key)).ToList();
        var steps = new List<(bool Ok, string Line)>();
        if (edits.Count > 0)
            steps.Add(await PatchAsync(run, target, edits, ct));
        await MembershipStepsAsync(run, target, steps, ct);
        if (steps.Count == 0)
            return TargetOutcome.Success("Nothing to change.");
        if (steps.Count == 1)
            return new TargetOutcome(steps[0].Ok, steps[0].Line);
        return new TargetOutcome(steps.All(s => s.Ok), string.Join("\n", steps.Select(s => $"{(s.Ok ? "✓" : "✗")} {s.Line}")));
    }

    private async Task MembershipStepsAsync(ActionRun run, ActionTarget target, List<(bool Ok, string Line)> steps, CancellationToken ct)
    {
        var addSkus = Guids(run.Parameter(EditUserMemberships.AddLicenses));
        var removeSkus = Guids(run.Parameter(EditUserMemberships.RemoveLicenses));
        if (addSkus.Count > 0 || removeSkus.Count > 0)
        {
            var result = await licenses.AssignAsync(run.TenantId, target.UserId, addSkus, removeSkus, ct);
            var shown = run.Parameter(EditUserMemberships.LicensesShown) ?? $"+{addSkus.Count} −{removeSkus.Count}";
            steps.Add(result.Succeeded ? (true, $"Licenses: {shown}.") : (false, $"Licenses not changed: {result.Failure!.Message}"));
        }

        foreach (var groupId in Ids(run.Parameter(EditUserMemberships.RemoveGroups)))
        {
            var name = await GroupNameAsync(run.TenantId, groupId, ct);
            var result = await groups.RemoveMemberAsync(run.TenantId, groupId, target.UserId, ct);
            steps.Add(result.Succeeded ? (true, $"Removed from {name}.") : (false, $"Not removed from {name}: {result.Failure!.Message}"));
        }

        var addGroups = Ids(run.Parameter(EditUserMemberships.AddGroups));
        if (addGroups.Count > 0)
        {
            var added = await groups.AddMemberToGroupsAsync(run.TenantId, target.UserId, addGroups, ct);
            if (!added.Succeeded)
                steps.Add((false, $"Groups not added: {added.Failure!.Message}"));
            else
                steps.AddRange(added.Value!.Select(Line));
        }

        if (run.Parameter(EditUserMemberships.CopyGroupsFrom) is { Length: > 0 } source)
        {
            var from = run.Parameter(EditUserMemberships.CopyShown) ?? source;
            var copied = await groups.CopyGroupsAsync(run.TenantId, source, target.UserId, ct);
            if (!copied.Succeeded)
            {
                steps.Add((false, $"Groups not copied from {from}: {copied.Failure!.Message}"));
                return;
            }

            var report = copied.Value!;
            var line = $"Copied groups from {from}: {report.Added.Count()} added";
            if (report.Skipped.Any())
                line += "; skipped " + string.Join("; ", report.Skipped.Select(g => $"{g.Group.DisplayName} ({g.Reason})"));
            if (report.Failed.Any())
                line += "; failed " + string.Join("; ", report.Failed.Select(g => $"{g.Group.DisplayName} ({g.Reason})"));
            steps.Add((!report.Failed.Any(), line + "."));
        }
    }

    private static (bool, string) Line(GroupMembershipOutcome outcome) => outcome.Status switch
    {
        GroupChangeStatus.Added => (true, $"Added to {outcome.Group.DisplayName}."),
        GroupChangeStatus.AlreadyMember => (true, $"Already in {outcome.Group.DisplayName}."),
        _ => (false, $"Not added to {outcome.Group.DisplayName}: {outcome.Reason}"),
    };

    private async Task<string> GroupNameAsync(string tenantId, string groupId, CancellationToken ct)
    {
        var group = await groups.GetAsync(tenantId, groupId, ct);
        return group.Succeeded ? group.Value!.DisplayName : groupId;
    }

    private static List<Guid> Guids(string? csv) => [.. Ids(csv).Select(Guid.Parse)];

    private static List<string> Ids(string? csv)
        => [.. (csv ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(s => Guid.TryParse(s, out _))];

    private async Task<(bool Ok, string Line)> PatchAsync(ActionRun run, ActionTarget target, List<KeyValuePair<string, string>> edits, CancellationToken ct)
    {
        var current = await users.GetAsync(run.TenantId, target.UserId, ct);
        if (!current.Succeeded)
            return (false, current.Failure!.Message);
        var before = current.Value!;
        var changes = new UserChanges();
        var clear = new HashSet<string>(StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var (name, raw) in edits)
        {
            var value = raw.Trim();
            var field = EditUserForm.Fields.FirstOrDefault(f => f.Id == name);
            if (field.Read is null)
                return (false, $"“{name}” is not a field Edit User changes. Nothing was changed.");
            var graphName = name == EditUserForm.BusinessPhone ? "businessPhones" : name;
            if (before.OnPremisesSyncEnabled && graphName != "usageLocation")
                return (false, $"Not changed: the user is synced from on-premises AD, which masters {graphName}. Change it there.");
            if (value.Length == 0 && graphName != "businessPhones" && !UserChanges.Clearable.Contains(graphName))
                return (false, $"{graphName} cannot be cleared. Nothing was changed.");

            var old = field.Read(before) ?? "";
            if (string.Equals(old, value, StringComparison.Ordinal))
                continue;
            lines.Add(value.Length == 0 ? $"{graphName}: “{old}” → cleared" : $"{graphName}: “{old}” → “{value}”");
            if (value.Length == 0 && graphName != "businessPhones")
            {
                clear.Add(graphName);
                continue;
            }

            changes = graphName switch
            {
                "givenName" => changes with { GivenName = value },
                "surname" => changes with { Surname = value },
                "displayName" => changes with { DisplayName = value },
                "userPrincipalName" => changes with { UserPrincipalName = value },
                "jobTitle" => changes with { JobTitle = value },
                "department" => changes with { Department = value },
                "companyName" => changes with { CompanyName = value },
                "officeLocation" => changes with { OfficeLocation = value },
                "streetAddress" => changes with { StreetAddress = value },
                "city" => changes with { City = value },
                "state" => changes with { State = value },
                "postalCode" => changes with { PostalCode = value },
                "country" => changes with { Country = value },
                "usageLocation" => changes with { UsageLocation = value },
                "mobilePhone" => changes with { MobilePhone = value },
                "businessPhones" => changes with { BusinessPhones = value.Length == 0 ? [] : [value, .. before.BusinessPhones.Skip(1)] },
                _ => changes,
            };
        }

        changes = changes with { Clear = clear };
        if (changes.IsEmpty)
            return (true, "Every field already had the requested value; nothing changed.");

        var result = await users.UpdateAsync(run.TenantId, target.UserId, changes, ct);
        return result.Succeeded
            ? (true, "Changed: " + string.Join("; ", lines) + ".")
            : (false, result.Failure!.Message);
    }
}
