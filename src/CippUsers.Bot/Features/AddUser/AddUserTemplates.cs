using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Features.AddUser;

/// A group a template adds users to, with its name as it was when the template was saved.
internal sealed record TemplateGroup(string Id, string DisplayName);

/// A named set of Add User defaults for one tenant.
internal sealed record AddUserTemplate(string Name, IReadOnlyList<Guid> Licenses, IReadOnlyList<TemplateGroup> Groups, string? Department,
    string? UsageLocation, string UsernameFormat)
{
    public const string FirstDotLast = "first.last";
    public const string FLast = "flast";
    public const string FirstL = "firstl";
    public const string First = "first";

    public static readonly string[] UsernameFormats = [FirstDotLast, FLast, FirstL, First];

    /// The username this template's format makes of the names ("Jan", "de Vries" → jan.devries / jdevries / jand / jan);
    /// null when a needed name is missing.
    public string? Username(string? givenName, string? surname)
    {
        var first = Clean(givenName);
        var last = Clean(surname);
        return UsernameFormat switch
        {
            FirstDotLast when first.Length > 0 && last.Length > 0 => $"{first}.{last}",
            FLast when first.Length > 0 && last.Length > 0 => $"{first[0]}{last}",
            FirstL when first.Length > 0 && last.Length > 0 => $"{first}{last[0]}",
            First when first.Length > 0 => first,
            _ => null,
        };
    }

    /// The form with the template applied: its department, usage location, licenses and groups replace the form's;
    /// the username is made from the names when none was typed. Everything else stays as typed.
    public AddUserForm ApplyTo(AddUserForm form)
    {
        var changes = new List<(string, string?)> { (AddUserForm.Template, Name) };
        if (Department is not null)
            changes.Add((AddUserForm.Department, Department));
        if (UsageLocation is not null)
            changes.Add((AddUserForm.UsageLocation, UsageLocation));
        if (Licenses.Count > 0)
            changes.Add((AddUserForm.Licenses, string.Join(',', Licenses)));
        if (Groups.Count > 0)
            changes.Add((AddUserForm.Groups, string.Join(',', Groups.Select(g => g.Id))));
        if (form[AddUserForm.Username] is null && Username(form[AddUserForm.GivenName], form[AddUserForm.Surname]) is { } username)
            changes.Add((AddUserForm.Username, username));
        return form.With([.. changes]);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["name"] = Name,
            ["licenses"] = new JsonArray([.. Licenses.Select(l => (JsonNode)JsonValue.Create(l.ToString()))]),
            ["groups"] = new JsonArray([.. Groups.Select(g => (JsonNode)new JsonObject { ["id"] = g.Id, ["displayName"] = g.DisplayName })]),
            ["usernameFormat"] = UsernameFormat,
        };
        if (Department is not null)
            json["department"] = Department;
        if (UsageLocation is not null)
            json["usageLocation"] = UsageLocation;
        return json;
    }

    public static AddUserTemplate? FromJson(JsonNode? node)
    {
        if (node is not JsonObject json || json["name"]?.ToString() is not { Length: > 0 } name)
            return null;
        var licenses = (json["licenses"] as JsonArray ?? []).Select(l => Guid.TryParse(l?.ToString(), out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
        var groups = (json["groups"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(g => g["id"] is not null).Select(g => new TemplateGroup(g["id"]!.ToString(), g["displayName"]?.ToString() ?? g["id"]!.ToString())).ToList();
        var format = json["usernameFormat"]?.ToString();
        return new AddUserTemplate(name, licenses, groups, Blank(json["department"]), Blank(json["usageLocation"]),
            UsernameFormats.Contains(format) ? format! : FirstDotLast);

        static string? Blank(JsonNode? n) => n?.ToString() is { Length: > 0 } s ? s : null;
    }

    // Lower case ASCII letters and digits only: "Zoë" → "zoe", "de Vries" → "devries", "O'Neil" → "oneil".
    private static string Clean(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return "";
        var builder = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                continue;
            var lower = char.ToLowerInvariant(c);
            if (lower is >= 'a' and <= 'z' or >= '0' and <= '9')
                builder.Append(lower);
        }
        return builder.ToString();
    }
}

/// The user templates of each tenant (preference scope "adduser.templates", key = tenant id).
internal static class AddUserTemplates
{
    public const string Scope = "adduser.templates";

    public static async Task<IReadOnlyList<AddUserTemplate>> ReadAsync(PreferenceStore store, string tenantId, CancellationToken ct)
    {
        var json = await store.GetAsync(Scope, tenantId, ct);
        return [.. (json?["templates"] as JsonArray ?? []).Select(AddUserTemplate.FromJson).OfType<AddUserTemplate>().OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public static Task WriteAsync(PreferenceStore store, string tenantId, IEnumerable<AddUserTemplate> templates, CancellationToken ct) =>
        store.SetAsync(Scope, tenantId, new JsonObject { ["templates"] = new JsonArray([.. templates.Select(t => (JsonNode)t.ToJson())]) }, ct);
}
