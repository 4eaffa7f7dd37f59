using CippUsers.Bot.Catalog;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// Edit Properties (cipp-behaviour.md §4.26): sets one writable user property to one value on each target. As in the
/// seed, an empty value is not sent; a target already holding the value is left alone.
internal sealed class EditPropertiesRunner(UserOperations users) : IActionRunner
{
    public const string Id = "edit-properties";

    /// The writable properties (Graph names) and how each becomes a change.
    public static IReadOnlyDictionary<string, (Func<TenantUser, string?> Read, Func<string, UserChanges> Set)> Writable { get; } =
        new Dictionary<string, (Func<TenantUser, string?>, Func<string, UserChanges>)>(StringComparer.OrdinalIgnoreCase)
        {
            ["displayName"] = (u => u.DisplayName, v => new UserChanges { DisplayName = v }),
            ["givenName"] = (u => u.GivenName, v => new UserChanges { GivenName = v }),
            ["surname"] = (u => u.Surname, v => new UserChanges { Surname = v }),
            ["jobTitle"] = (u => u.JobTitle, v => new UserChanges { JobTitle = v }),
            ["department"] = (u => u.Department, v => new UserChanges { Department = v }),
            ["companyName"] = (u => u.CompanyName, v => new UserChanges { CompanyName = v }),
            ["officeLocation"] = (u => u.OfficeLocation, v => new UserChanges { OfficeLocation = v }),
            ["mobilePhone"] = (u => u.MobilePhone, v => new UserChanges { MobilePhone = v }),
            ["streetAddress"] = (u => u.StreetAddress, v => new UserChanges { StreetAddress = v }),
            ["city"] = (u => u.City, v => new UserChanges { City = v }),
            ["state"] = (u => u.State, v => new UserChanges { State = v }),
            ["postalCode"] = (u => u.PostalCode, v => new UserChanges { PostalCode = v }),
            ["country"] = (u => u.Country, v => new UserChanges { Country = v }),
            ["usageLocation"] = (u => u.UsageLocation, v => new UserChanges { UsageLocation = v }),
        };

    public string ActionId => Id;

    public async Task<TargetOutcome> RunAsync(ActionRun run, ActionTarget target, CancellationToken ct)
    {
        var property = run.Parameter("property")?.Trim() ?? "";
        var value = run.Parameter("value")?.Trim() ?? "";
        if (!Writable.TryGetValue(property, out var writable))
        {
            return TargetOutcome.Failure($"“{property}” is not a property this action can set. Writable: {string.Join(", ", Writable.Keys)}.");
        }

        if (value.Length == 0)
        {
            return TargetOutcome.Failure("An empty value is not sent (Edit Properties cannot clear a property; use Edit User).");
        }

        var current = await users.GetAsync(run.TenantId, target.UserId, ct);
        if (!current.Succeeded)
        {
            return TargetOutcome.Failure(current.Failure!.Message);
        }

        var old = writable.Read(current.Value!);
        if (string.Equals(old, value, StringComparison.Ordinal))
        {
            return TargetOutcome.Success($"{property} was already “{value}”; nothing changed.");
        }

        if (current.Value!.OnPremisesSyncEnabled && !string.Equals(property, "usageLocation", StringComparison.OrdinalIgnoreCase))
        {
            return TargetOutcome.Failure($"Not changed: the user is synced from on-premises AD, which masters {property}. Change it there.");
        }

        var result = await users.UpdateAsync(run.TenantId, target.UserId, writable.Set(value), ct);
        return result.Succeeded
            ? TargetOutcome.Success($"{property}: “{old ?? ""}” → “{value}”.")
            : TargetOutcome.Failure(result.Failure!.Message);
    }
}
