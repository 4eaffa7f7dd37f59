using CippUsers.Bot.Catalog;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// Edit User (cipp-behaviour.md §4.2): PATCH of only the properties the tech changed on the edit card (the operation's
/// parameters: Graph name → new value, empty = clear with an explicit null). Reports each field as old → new.
internal sealed class EditUserRunner(UserOperations users) : IActionRunner
{
    public const string Id = "edit-user";

    public string ActionId => Id;

    public async Task<TargetOutcome> RunAsync(ActionRun run, ActionTarget target, CancellationToken ct)
    {
        var edits = run.Parameters.Where(p => !p.Key.StartsWith('_')).ToList();
        if (edits.Count == 0)
            return TargetOutcome.Success("Nothing to change.");

        var current = await users.GetAsync(run.TenantId, target.UserId, ct);
        if (!current.Succeeded)
            return TargetOutcome.Failure(current.Failure!.Message);
        var before = current.Value!;

        var changes = new UserChanges();
        var clear = new HashSet<string>(StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var (name, raw) in edits)
        {
            var value = raw.Trim();
            var field = EditUserForm.Fields.FirstOrDefault(f => f.Id == name);
            if (field.Read is null)
                return TargetOutcome.Failure($"“{name}” is not a field Edit User changes. Nothing was changed.");
            var graphName = name == EditUserForm.BusinessPhone ? "businessPhones" : name;
            if (before.OnPremisesSyncEnabled && graphName != "usageLocation")
                return TargetOutcome.Failure($"Not changed: the user is synced from on-premises AD, which masters {graphName}. Change it there.");
            if (value.Length == 0 && graphName != "businessPhones" && !UserChanges.Clearable.Contains(graphName))
                return TargetOutcome.Failure($"{graphName} cannot be cleared. Nothing was changed.");

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
            return TargetOutcome.Success("Every field already had the requested value; nothing changed.");

        var result = await users.UpdateAsync(run.TenantId, target.UserId, changes, ct);
        return result.Succeeded
            ? TargetOutcome.Success("Changed: " + string.Join("; ", lines) + ".")
            : TargetOutcome.Failure(result.Failure!.Message);
    }
}
