using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Catalog;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// One user property the patch wizard can set: Graph name, label, value type (shown to the tech), how to read it,
/// how it becomes a change, and why a value is not acceptable (null when it is).
internal sealed record WritableProperty(string Name, string Label, string Type, int MaxLength, Func<TenantUser, string?> Read, Func<string, UserChanges> Set)
{
    public string? Invalid(string value)
    {
        if (value.Length == 0)
            return $"{Name}: an empty value is not sent (Edit Properties cannot clear a property; use Edit User).";
        if (value.Length > MaxLength)
            return $"{Name}: at most {MaxLength} characters.";
        if (Name == "usageLocation" && !(value.Length == 2 && value.All(char.IsAsciiLetterUpper)))
            return "usageLocation: a two-letter country code in capitals, like GB.";
        return null;
    }
}

/// Edit Properties (cipp-behaviour.md §4.4, §4.26): sets one or more writable user properties on each target. As in
/// the seed, an empty value is not sent; a property already holding its value is left alone. The patch wizard stores
/// the properties as JSON in the hidden parameter <see cref="SetKey"/>; the catalog's single property/value inputs
/// (typed command, confirmation card) still work.
internal sealed class EditPropertiesRunner(UserOperations users) : IActionRunner
{
    public const string Id = "edit-properties";

    /// Hidden parameter: {"graphName": "value", …} set by the patch wizard.
    public const string SetKey = "_set";

    public static IReadOnlyList<WritableProperty> Properties { get; } =
    [
        new("jobTitle", "Job title", "text", 128, u => u.JobTitle, v => new UserChanges { JobTitle = v }),
        new("department", "Department", "text", 64, u => u.Department, v => new UserChanges { Department = v }),
        new("companyName", "Company name", "text", 64, u => u.CompanyName, v => new UserChanges { CompanyName = v }),
        new("officeLocation", "Office", "text", 128, u => u.OfficeLocation, v => new UserChanges { OfficeLocation = v }),
        new("displayName", "Display name", "text", 256, u => u.DisplayName, v => new UserChanges { DisplayName = v }),
        new("givenName", "First name", "text", 64, u => u.GivenName, v => new UserChanges { GivenName = v }),
        new("surname", "Last name", "text", 64, u => u.Surname, v => new UserChanges { Surname = v }),
        new("mobilePhone", "Mobile phone", "phone number", 64, u => u.MobilePhone, v => new UserChanges { MobilePhone = v }),
        new("businessPhones", "Business phone", "phone number (sent as a one-element list)", 64, u => u.BusinessPhones.Count > 0 ? string.Join(", ", u.BusinessPhones) : null, v => new UserChanges { BusinessPhones = [v] }),
        new("streetAddress", "Street address", "text", 1024, u => u.StreetAddress, v => new UserChanges { StreetAddress = v }),
        new("city", "City", "text", 128, u => u.City, v => new UserChanges { City = v }),
        new("state", "State/province", "text", 128, u => u.State, v => new UserChanges { State = v }),
        new("postalCode", "Postal code", "text", 40, u => u.PostalCode, v => new UserChanges { PostalCode = v }),
        new("country", "Country", "text", 128, u => u.Country, v => new UserChanges { Country = v }),
        new("usageLocation", "Usage location", "two-letter country code", 2, u => u.UsageLocation, v => new UserChanges { UsageLocation = v }),
    ];

    /// The writable properties by Graph name.
    public static IReadOnlyDictionary<string, WritableProperty> Writable { get; } =
        Properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public string ActionId => Id;

    /// The properties and values an operation sets: the wizard's JSON, or the single property/value inputs.
    public static (IReadOnlyList<(WritableProperty Property, string Value)> Sets, string? Error) Requested(IReadOnlyDictionary<string, string> parameters)
    {
        var raw = new List<(string Name, string Value)>();
        if (parameters.TryGetValue(SetKey, out var json) && !string.IsNullOrWhiteSpace(json))
        {
            if (JsonNode.Parse(json) is not JsonObject set)
                return ([], "The properties to set are unreadable.");
            raw.AddRange(set.Select(p => (p.Key, p.Value?.GetValue<string>() ?? "")));
        }
        else
        {
            raw.Add((parameters.GetValueOrDefault("property")?.Trim() ?? "", parameters.GetValueOrDefault("value")?.Trim() ?? ""));
        }

        var sets = new List<(WritableProperty, string)>();
        foreach (var (name, value) in raw)
        {
            if (!Writable.TryGetValue(name, out var property))
                return ([], $"“{name}” is not a property this action can set. Writable: {string.Join(", ", Writable.Keys)}.");
            if (property.Invalid(value.Trim()) is { } invalid)
                return ([], invalid);
            sets.Add((property, value.Trim()));
        }

        return (sets, null);
    }

    /// What setting these values would do to this user: each change as old → new, the properties already holding the
    /// value, and why the user cannot be changed (null when it can).
    public static (IReadOnlyList<string> Changes, IReadOnlyList<string> Unchanged, string? Refused) Plan(TenantUser user, IReadOnlyList<(WritableProperty Property, string Value)> sets)
    {
        var changes = new List<string>();
        var unchanged = new List<string>();
        foreach (var (property, value) in sets)
        {
            var old = property.Read(user);
            if (string.Equals(old, value, StringComparison.Ordinal))
                unchanged.Add(property.Name);
            else
                changes.Add($"{property.Name}: “{old ?? ""}” → “{value}”");
        }

        var mastered = sets.Where(s => s.Property.Name != "usageLocation" && !string.Equals(s.Property.Read(user), s.Value, StringComparison.Ordinal)).Select(s => s.Property.Name).ToList();
        var refused = user.OnPremisesSyncEnabled && mastered.Count > 0
            ? $"Not changed: the user is synced from on-premises AD, which masters {string.Join(", ", mastered)}. Change it there."
            : null;
        return (changes, unchanged, refused);
    }

    public async Task<TargetOutcome> RunAsync(ActionRun run, ActionTarget target, CancellationToken ct)
    {
        var (sets, error) = Requested(run.Parameters);
        if (error is not null)
            return TargetOutcome.Failure(error);

        var current = await users.GetAsync(run.TenantId, target.UserId, ct);
        if (!current.Succeeded)
            return TargetOutcome.Failure(current.Failure!.Message);

        var (changes, unchanged, refused) = Plan(current.Value!, sets);
        if (refused is not null)
            return TargetOutcome.Failure(refused);
        if (changes.Count == 0)
            return TargetOutcome.Success(sets.Count == 1
                ? $"{sets[0].Property.Name} was already “{sets[0].Value}”; nothing changed."
                : $"{string.Join(", ", unchanged)} already had these values; nothing changed.");

        var patch = new UserChanges();
        foreach (var (property, value) in sets.Where(s => !unchanged.Contains(s.Property.Name)))
            patch = Merge(patch, property.Set(value));
        var result = await users.UpdateAsync(run.TenantId, target.UserId, patch, ct);
        if (!result.Succeeded)
            return TargetOutcome.Failure(result.Failure!.Message);
        var message = string.Join("; ", changes) + ".";
        return TargetOutcome.Success(unchanged.Count == 0 ? message : $"{message} Already set: {string.Join(", ", unchanged)}.");
    }

    private static UserChanges Merge(UserChanges a, UserChanges b) => a with
    {
        DisplayName = b.DisplayName ?? a.DisplayName,
        GivenName = b.GivenName ?? a.GivenName,
        Surname = b.Surname ?? a.Surname,
        JobTitle = b.JobTitle ?? a.JobTitle,
        Department = b.Department ?? a.Department,
        CompanyName = b.CompanyName ?? a.CompanyName,
        OfficeLocation = b.OfficeLocation ?? a.OfficeLocation,
        MobilePhone = b.MobilePhone ?? a.MobilePhone,
        BusinessPhones = b.BusinessPhones ?? a.BusinessPhones,
        StreetAddress = b.StreetAddress ?? a.StreetAddress,
        City = b.City ?? a.City,
        State = b.State ?? a.State,
        PostalCode = b.PostalCode ?? a.PostalCode,
        Country = b.Country ?? a.Country,
        UsageLocation = b.UsageLocation ?? a.UsageLocation,
    };

    /// The hidden parameter value for these sets.
    public static string SetParameter(IEnumerable<(WritableProperty Property, string Value)> sets)
        => new JsonObject(sets.Select(s => KeyValuePair.Create(s.Property.Name, (JsonNode?)s.Value))).ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
