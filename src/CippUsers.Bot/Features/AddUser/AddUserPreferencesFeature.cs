using System.Text.Json;
using System.Text.RegularExpressions;
using CippUsers.Bot.Access;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Teams;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.AddUser;

/// `preferences [tenant]`: the tenant's Add User preferences. Anyone with a role in the tenant may view them; only an
/// admin may change them, and every change is audited.
internal sealed partial class AddUserPreferencesFeature(
    CustomerTenants tenants,
    DomainOperations domains,
    PreferenceStore preferences,
    AccessPolicy policy,
    AuditLog audit,
    TimeProvider time,
    ILogger<AddUserPreferencesFeature> log) : IFeature
{
    public const string AuditAction = "add-user-preferences";

    public void Map(BotRoutes routes)
    {
        routes.Command("preferences", "Add User preferences of a tenant: added attributes, defaults, password style", "preferences contoso", ShowAsync, "prefs");
        routes.Verb(AddUserSettingsCards.SavePreferencesVerb, SaveAsync);
    }

    private async Task ShowAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        if (await AddUserTenant.ReadableAsync(turn, tenants, policy, arguments, "preferences", ct) is not { } tenant)
            return;
        var verified = await domains.ListVerifiedAsync(tenant.TenantId, ct);
        var prefs = await AddUserPreferences.ReadAsync(preferences, tenant.TenantId, ct);
        await turn.SendCardAsync(AddUserSettingsCards.Preferences(tenant, prefs, verified.Value ?? [], AddUserTenant.Access(policy, turn.Caller).Has(Role.Admin, AddUserTenant.Ref(tenant))), ct);
    }

    private async Task SaveAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var tenant = AddUserTenant.FromCard(tenants, data);
        if (tenant is null)
        {
            turn.RespondWithError(400, "This card does not name a tenant I manage.");
            return;
        }
        if (!AddUserTenant.Access(policy, turn.Caller).Has(Role.Admin, AddUserTenant.Ref(tenant)))
        {
            turn.RespondWithError(403, $"Only an admin of {tenant.DisplayName} can change its Add User preferences.");
            return;
        }

        var verified = await domains.ListVerifiedAsync(tenant.TenantId, ct);
        if (!verified.Succeeded)
        {
            turn.RespondWithMessage($"I could not read the domains of {tenant.DisplayName}: {verified.Failure.Message}");
            return;
        }
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var attributes = (AddUserTenant.Text(data, AddUserSettingsCards.AttributesInput) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (attributes.FirstOrDefault(a => !AddUserPreferences.KnownAttributes.Contains(a, StringComparer.Ordinal)) is { } unknown)
            errors[AddUserSettingsCards.AttributesInput] = $"“{unknown}” is not one of the added attributes.";
        var location = AddUserTenant.Text(data, AddUserSettingsCards.UsageLocationInput)?.ToUpperInvariant();
        if (location is not null && !CountryCode().IsMatch(location))
            errors[AddUserSettingsCards.UsageLocationInput] = "Usage location is a two-letter country code (e.g. US, NL).";
        var domain = AddUserTenant.Text(data, AddUserSettingsCards.DomainInput);
        if (domain is not null && !verified.Value!.Any(d => string.Equals(d.Name, domain, StringComparison.OrdinalIgnoreCase)))
            errors[AddUserSettingsCards.DomainInput] = $"{domain} is not a verified domain of {tenant.DisplayName}.";
        var style = AddUserTenant.Text(data, AddUserSettingsCards.StyleInput) ?? "random";
        if (style is not ("random" or "passphrase"))
            errors[AddUserSettingsCards.StyleInput] = "Choose random or passphrase.";
        var lengthText = AddUserTenant.Text(data, AddUserSettingsCards.LengthInput);
        var length = AddUserPreferences.DefaultLength;
        if (lengthText is not null && (!double.TryParse(lengthText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            || number != Math.Floor(number) || number < AddUserPreferences.MinLength || number > AddUserPreferences.MaxLength))
            errors[AddUserSettingsCards.LengthInput] = $"The length is a whole number from {AddUserPreferences.MinLength} to {AddUserPreferences.MaxLength}.";
        else if (lengthText is not null)
            length = (int)double.Parse(lengthText, System.Globalization.CultureInfo.InvariantCulture);

        var prefs = new AddUserPreferences(attributes, location, domain, style == "passphrase", length);
        if (errors.Count > 0)
        {
            turn.RespondWithCard(AddUserSettingsCards.Preferences(tenant, prefs, verified.Value!, canEdit: true, errors: errors));
            return;
        }

        var before = await AddUserPreferences.ReadAsync(preferences, tenant.TenantId, ct);
        await prefs.SaveAsync(preferences, tenant.TenantId, ct);
        await audit.AppendAsync(new AuditEntry(0, time.GetUtcNow(), turn.Caller.AadObjectId, turn.Caller.Name, tenant.TenantId, AuditAction,
            null, tenant.DisplayName, "succeeded", $"Before: {AddUserSettingsCards.Describe(before)}. After: {AddUserSettingsCards.Describe(prefs)}.",
            prefs.ToJson(), Guid.NewGuid().ToString(), null), ct);
        log.LogInformation("Add User preferences of {TenantId} changed by {AadObjectId}", tenant.TenantId, turn.Caller.AadObjectId);
        turn.RespondWithCard(AddUserSettingsCards.Preferences(tenant, prefs, verified.Value!, canEdit: true, notice: "Saved."));
    }

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();
}

/// Tenant lookups shared by the Add User commands (a typed tenant, or the only one; a card's tenant id).
internal static class AddUserTenant
{
    public static CustomerTenant? Resolve(CustomerTenants tenants, string? text) =>
        string.IsNullOrWhiteSpace(text) ? (tenants.All.Count == 1 ? tenants.All[0] : null) : tenants.Find(text.Trim());

    public static string Unknown(string? text, string command) => string.IsNullOrWhiteSpace(text)
        ? $"Which tenant? For example: `{command} contoso`."
        : $"I don't know the tenant “{text.Trim()}”. `tenants` lists the ones I manage.";

    public static CustomerTenant? FromCard(CustomerTenants tenants, JsonElement data) =>
        Text(data, AddUserCards.TenantKey) is { } id ? tenants.Find(id) : null;

    public static TenantRef Ref(CustomerTenant tenant) => new(tenant.TenantId, tenant.DefaultDomain, tenant.DisplayName);

    public static CallerAccess Access(AccessPolicy policy, Caller caller) => policy.For(caller.AadObjectId);

    /// The typed tenant when the tech has a role there; otherwise says why in the chat and returns null.
    public static async Task<CustomerTenant?> ReadableAsync(BotTurn turn, CustomerTenants tenants, AccessPolicy policy, string arguments, string command, CancellationToken ct)
    {
        var tenant = Resolve(tenants, arguments);
        if (tenant is null)
        {
            await turn.SendTextAsync(Unknown(arguments, command), ct);
            return null;
        }
        if (!Access(policy, turn.Caller).Has(Role.Reader, Ref(tenant)))
        {
            await turn.SendTextAsync($"You have no role in {tenant.DisplayName}.", ct);
            return null;
        }
        return tenant;
    }

    /// A card value as trimmed text (numbers and booleans as their JSON text); null when missing or blank.
    public static string? Text(JsonElement data, string name)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(name, out var v))
            return null;
        var text = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
