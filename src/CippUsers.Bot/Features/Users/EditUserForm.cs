using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// Edit User (cipp-behaviour.md §4.2): a card prefilled with the user's current values. On submit only what the tech
/// changed becomes the operation's parameters (Graph name → new value, empty = clear); nothing is sent before confirm.
internal static class EditUserForm
{
    public const string SubmitVerb = "users.edit.submit";
    public const string BusinessPhone = "businessPhone";
    public const string OriginalKey = "o";

    /// The editable fields in card order: Graph name (the input id), label, max length, how to read the current value.
    public static IReadOnlyList<(string Id, string Label, int Max, Func<TenantUser, string?> Read)> Fields { get; } =
    [
        ("givenName", "First name", 64, u => u.GivenName),
        ("surname", "Last name", 64, u => u.Surname),
        ("displayName", "Display name", 256, u => u.DisplayName),
        ("userPrincipalName", "User principal name", 113, u => u.UserPrincipalName),
        ("jobTitle", "Job title", 128, u => u.JobTitle),
        ("department", "Department", 64, u => u.Department),
        ("companyName", "Company name", 64, u => u.CompanyName),
        ("officeLocation", "Office", 128, u => u.OfficeLocation),
        ("streetAddress", "Street address", 1024, u => u.StreetAddress),
        ("city", "City", 128, u => u.City),
        ("state", "State/province", 128, u => u.State),
        ("postalCode", "Postal code", 40, u => u.PostalCode),
        ("country", "Country", 128, u => u.Country),
        ("usageLocation", "Usage location (two-letter country code)", 2, u => u.UsageLocation),
        ("mobilePhone", "Mobile phone", 64, u => u.MobilePhone),
        (BusinessPhone, "Business phone", 64, u => u.BusinessPhones.Count > 0 ? u.BusinessPhones[0] : null),
    ];

    /// <param name="original">The values the card was first prefilled with (the baseline for "changed"); null: the
    /// values of <paramref name="user"/>.</param>
    /// <param name="choices">Licences and groups to offer (null or <see cref="EditUserChoices.None"/>: profile fields only).</param>
    public static AdaptiveCard Card(CustomerTenant tenant, TenantUser user, string? error = null, JsonObject? original = null, EditUserChoices? choices = null)
    {
        // The baseline travels with the card so that a field changed elsewhere while the card was open is not put back.
        // Forging it only marks more fields as edited, which the tech may do on the card anyway; access is re-checked.
        original ??= new JsonObject(Fields.Select(f => KeyValuePair.Create(f.Id, (JsonNode?)(f.Read(user) ?? ""))));
        var card = new AdaptiveCard { FallbackText = $"Edit {user.UserPrincipalName}" };
        card.Add(new TextBlock($"Edit {user.DisplayName}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        card.Add(new TextBlock($"{user.UserPrincipalName} · {tenant.DisplayName}") { IsSubtle = true, Wrap = true });
        card.Add(new TextBlock("Only the fields you change are sent. Empty a field to clear it (display name, UPN and usage location cannot be cleared). Licence and group changes run as separate steps after the profile change.") { Wrap = true, Size = TextSize.Small });
        if (error is not null)
            card.Add(new TextBlock(error) { Color = TextColor.Attention, Wrap = true });
        foreach (var (id, label, max, read) in Fields)
            card.Add(new TextInput(id) { Label = label, Value = read(user), MaxLength = max });
        if (choices is not null && choices != EditUserChoices.None)
            EditUserMemberships.AddTo(card, user, choices, original);
        card.AddAction(new ExecuteAction("Review changes", SubmitVerb, new JsonObject { ["t"] = tenant.TenantId, ["u"] = user.Id, [OriginalKey] = original.DeepClone() }) { Style = ActionStyle.Positive });
        return card;
    }

    /// The card's baseline (what it was prefilled with), for a re-rendered card.
    public static JsonObject? Original(JsonElement data)
        => data.ValueKind == JsonValueKind.Object && data.TryGetProperty(OriginalKey, out var o) && o.ValueKind == JsonValueKind.Object
            ? JsonNode.Parse(o.GetRawText())!.AsObject()
            : null;

    /// The user as the tech wants it: <paramref name="before"/> (read now) with each field the tech edited on the card,
    /// that is, whose submitted value differs from the value the card was prefilled with. Other fields keep the
    /// tenant's current value, even if it changed while the card was open.
    public static TenantUser Apply(TenantUser before, JsonElement data)
    {
        var original = data.ValueKind == JsonValueKind.Object && data.TryGetProperty(OriginalKey, out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
        string? Field(string id, string? current)
        {
            if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(id, out var v) || v.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                return current;
            var submitted = v.ValueKind == JsonValueKind.Null ? "" : v.GetString()!.Trim();
            var baseline = original.ValueKind == JsonValueKind.Object && original.TryGetProperty(id, out var b) && b.ValueKind == JsonValueKind.String
                ? b.GetString()!.Trim()
                : current ?? "";
            return string.Equals(submitted, baseline, StringComparison.Ordinal) ? current : submitted;
        }

        var phone = Field(BusinessPhone, before.BusinessPhones.Count > 0 ? before.BusinessPhones[0] : null);
        IReadOnlyList<string> phones = string.IsNullOrEmpty(phone) ? [] : [phone, .. before.BusinessPhones.Skip(1)];
        return before with
        {
            GivenName = Field("givenName", before.GivenName),
            Surname = Field("surname", before.Surname),
            DisplayName = Field("displayName", before.DisplayName) ?? before.DisplayName,
            UserPrincipalName = Field("userPrincipalName", before.UserPrincipalName) ?? before.UserPrincipalName,
            JobTitle = Field("jobTitle", before.JobTitle),
            Department = Field("department", before.Department),
            CompanyName = Field("companyName", before.CompanyName),
            OfficeLocation = Field("officeLocation", before.OfficeLocation),
            StreetAddress = Field("streetAddress", before.StreetAddress),
            City = Field("city", before.City),
            State = Field("state", before.State),
            PostalCode = Field("postalCode", before.PostalCode),
            Country = Field("country", before.Country),
            UsageLocation = Field("usageLocation", before.UsageLocation),
            MobilePhone = Field("mobilePhone", before.MobilePhone),
            BusinessPhones = phones,
        };
    }

    /// Why this edit cannot be sent, or null.
    public static string? Invalid(TenantUser after)
    {
        if (string.IsNullOrWhiteSpace(after.DisplayName))
            return "The display name cannot be empty.";
        if (string.IsNullOrWhiteSpace(after.UserPrincipalName) || !after.UserPrincipalName.Contains('@', StringComparison.Ordinal))
            return "The user principal name must look like alias@domain.";
        if (string.IsNullOrEmpty(after.UsageLocation))
            return null;
        return after.UsageLocation.Length == 2 && after.UsageLocation.All(char.IsAsciiLetterUpper) ? null : "The usage location is a two-letter country code in capitals, like GB.";
    }

    /// The operation parameters for these changes: Graph name → new value ("" clears). Never holds a secret.
    public static Dictionary<string, string> Parameters(TenantUser before, TenantUser after)
    {
        var changes = UserChanges.Between(before, after);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in changes.Changed())
        {
            if (name == "businessPhones")
                parameters[BusinessPhone] = after.BusinessPhones.Count > 0 ? after.BusinessPhones[0] : "";
            else if (changes.Clear.Contains(name))
                parameters[name] = "";
            else if (Fields.FirstOrDefault(f => f.Id == name) is { Read: not null } field)
                parameters[name] = field.Read(after) ?? "";
        }

        return parameters;
    }
}
