using System.Text.Json;
using System.Text.RegularExpressions;
using CippUsers.Bot.Access;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Teams;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.AddUser;

/// `templates [tenant]`: named Add User defaults per tenant (licenses, groups, department, usage location, username
/// format). Anyone with a role in the tenant may view them; admins add, edit and delete (audited).
internal sealed partial class AddUserTemplatesFeature(
    CustomerTenants tenants,
    LicenseOperations licenses,
    GroupOperations groups,
    PreferenceStore preferences,
    AccessPolicy policy,
    AuditLog audit,
    TimeProvider time,
    ILogger<AddUserTemplatesFeature> log) : IFeature
{
    public const string AuditAction = "add-user-templates";

    /// Groups offered in the template editor.
    public const int GroupLimit = 100;

    public void Map(BotRoutes routes)
    {
        routes.Command("templates", "User templates of a tenant for the Add User card", "templates contoso", ShowAsync);
        routes.Verb(AddUserSettingsCards.NewTemplateVerb, EditAsync);
        routes.Verb(AddUserSettingsCards.EditTemplateVerb, EditAsync);
        routes.Verb(AddUserSettingsCards.SaveTemplateVerb, SaveAsync);
        routes.Verb(AddUserSettingsCards.DeleteTemplateVerb, DeleteAsync);
    }

    private async Task ShowAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        if (await AddUserTenant.ReadableAsync(turn, tenants, policy, arguments, "templates", ct) is not { } tenant)
            return;
        await turn.SendCardAsync(await ListCardAsync(tenant, AddUserTenant.Access(policy, turn.Caller).Has(Role.Admin, AddUserTenant.Ref(tenant)), null, ct), ct);
    }

    private async Task<Cards.AdaptiveCard> ListCardAsync(CustomerTenant tenant, bool canEdit, string? notice, CancellationToken ct)
    {
        var templates = await AddUserTemplates.ReadAsync(preferences, tenant.TenantId, ct);
        var skus = await licenses.ListSkusAsync(tenant.TenantId, ct);
        var names = (skus.Value ?? []).ToDictionary(s => s.SkuId, s => s.FriendlyName);
        return AddUserSettingsCards.Templates(tenant, templates, names, canEdit, notice);
    }

    private async Task EditAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (AdminTenant(turn, data) is not { } tenant)
            return;
        AddUserTemplate? template = null;
        if (AddUserTenant.Text(data, AddUserSettingsCards.TemplateKey) is { } name)
        {
            template = (await AddUserTemplates.ReadAsync(preferences, tenant.TenantId, ct)).FirstOrDefault(t => t.Name == name);
            if (template is null)
            {
                turn.RespondWithCard(await ListCardAsync(tenant, true, $"There is no template “{name}” any more.", ct));
                return;
            }
        }
        var editor = await EditorAsync(tenant, template, null, ct);
        if (editor is null)
        {
            turn.RespondWithMessage($"I could not read the licenses or groups of {tenant.DisplayName}. Try again in a minute.");
            return;
        }
        turn.RespondWithCard(editor);
    }

    private async Task<Cards.AdaptiveCard?> EditorAsync(CustomerTenant tenant, AddUserTemplate? template, IReadOnlyDictionary<string, string>? errors, CancellationToken ct)
    {
        var skus = await licenses.ListSkusAsync(tenant.TenantId, ct);
        var offered = await OfferedGroupsAsync(tenant, ct);
        if (!skus.Succeeded || offered is null)
            return null;
        // Groups already in the template stay on offer even beyond the list's limit.
        var all = offered.Concat((template?.Groups ?? []).Where(g => !offered.Any(o => o.Id == g.Id))).ToList();
        return AddUserSettingsCards.TemplateEditor(tenant, template, skus.Value!, all, errors);
    }

    // Only groups whose membership Graph can change (not dynamic, synced or mail-enabled security/distribution groups).
    private async Task<IReadOnlyList<TemplateGroup>?> OfferedGroupsAsync(CustomerTenant tenant, CancellationToken ct)
    {
        var found = await groups.SearchAsync(tenant.TenantId, null, GroupLimit, ct);
        return found.Succeeded
            ? [.. found.Value!.Where(g => g.WhyMembershipIsReadOnly is null).Select(g => new TemplateGroup(g.Id, g.DisplayName)).OrderBy(g => g.DisplayName, StringComparer.OrdinalIgnoreCase)]
            : null;
    }

    private async Task SaveAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (AdminTenant(turn, data) is not { } tenant)
            return;
        var existing = (await AddUserTemplates.ReadAsync(preferences, tenant.TenantId, ct)).ToList();
        var original = AddUserTenant.Text(data, AddUserSettingsCards.TemplateKey);
        var skus = await licenses.ListSkusAsync(tenant.TenantId, ct);
        if (!skus.Succeeded)
        {
            turn.RespondWithMessage($"I could not read the licenses of {tenant.DisplayName}: {skus.Failure.Message}");
            return;
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var name = AddUserTenant.Text(data, AddUserSettingsCards.TemplateNameInput) ?? "";
        if (name.Length == 0)
            errors[AddUserSettingsCards.TemplateNameInput] = "Give the template a name.";
        else if (name.Length > 64)
            errors[AddUserSettingsCards.TemplateNameInput] = "The name can be at most 64 characters.";
        else if (existing.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase) && t.Name != original))
            errors[AddUserSettingsCards.TemplateNameInput] = $"There is already a template “{name}”.";

        var chosenSkus = List(data, AddUserSettingsCards.TemplateLicensesInput);
        var skuIds = new List<Guid>();
        foreach (var sku in chosenSkus)
        {
            if (Guid.TryParse(sku, out var id) && skus.Value!.Any(s => s.SkuId == id))
                skuIds.Add(id);
            else
                errors[AddUserSettingsCards.TemplateLicensesInput] = "Choose licenses from the list.";
        }

        // Group ids from the card are checked in the tenant: each must exist there and allow membership changes.
        var templateGroups = new List<TemplateGroup>();
        foreach (var id in List(data, AddUserSettingsCards.TemplateGroupsInput))
        {
            TenantGroup? group = null;
            if (Guid.TryParse(id, out _) && await groups.GetAsync(tenant.TenantId, id, ct) is { Succeeded: true } read)
                group = read.Value;
            if (group is { WhyMembershipIsReadOnly: null })
                templateGroups.Add(new TemplateGroup(group.Id, group.DisplayName));
            else
                errors[AddUserSettingsCards.TemplateGroupsInput] = "Choose groups from the list.";
        }

        var location = AddUserTenant.Text(data, AddUserSettingsCards.TemplateUsageLocationInput)?.ToUpperInvariant();
        if (location is not null && !CountryCode().IsMatch(location))
            errors[AddUserSettingsCards.TemplateUsageLocationInput] = "Usage location is a two-letter country code (e.g. US, NL).";
        var department = AddUserTenant.Text(data, AddUserSettingsCards.TemplateDepartmentInput);
        if (department is { Length: > 64 })
            errors[AddUserSettingsCards.TemplateDepartmentInput] = "Department can be at most 64 characters.";
        var format = AddUserTenant.Text(data, AddUserSettingsCards.TemplateFormatInput) ?? AddUserTemplate.FirstDotLast;
        if (!AddUserTemplate.UsernameFormats.Contains(format))
            errors[AddUserSettingsCards.TemplateFormatInput] = "Choose a username format from the list.";

        var template = new AddUserTemplate(name, skuIds, templateGroups, department, location, format);
        if (errors.Count > 0)
        {
            turn.RespondWithCard(await EditorAsync(tenant, template, errors, ct) ?? AddUserCards.Message("Template not saved", string.Join(" ", errors.Values)));
            return;
        }

        existing.RemoveAll(t => t.Name == original || t.Name == name);
        existing.Add(template);
        await AddUserTemplates.WriteAsync(preferences, tenant.TenantId, existing, ct);
        await AuditAsync(turn, tenant, original is null ? "created" : "changed", template, ct);
        turn.RespondWithCard(await ListCardAsync(tenant, true, $"Saved “{name}”.", ct));
    }

    private async Task DeleteAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (AdminTenant(turn, data) is not { } tenant)
            return;
        var name = AddUserTenant.Text(data, AddUserSettingsCards.TemplateKey);
        var existing = (await AddUserTemplates.ReadAsync(preferences, tenant.TenantId, ct)).ToList();
        var template = existing.FirstOrDefault(t => t.Name == name);
        if (template is null)
        {
            turn.RespondWithCard(await ListCardAsync(tenant, true, $"There is no template “{name}” any more.", ct));
            return;
        }
        existing.Remove(template);
        await AddUserTemplates.WriteAsync(preferences, tenant.TenantId, existing, ct);
        await AuditAsync(turn, tenant, "deleted", template, ct);
        turn.RespondWithCard(await ListCardAsync(tenant, true, $"Deleted “{template.Name}”.", ct));
    }

    private async Task AuditAsync(BotTurn turn, CustomerTenant tenant, string what, AddUserTemplate template, CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEntry(0, time.GetUtcNow(), turn.Caller.AadObjectId, turn.Caller.Name, tenant.TenantId, AuditAction,
            template.Name, template.Name, "succeeded", $"Template “{template.Name}” {what}.", template.ToJson(), Guid.NewGuid().ToString(), null), ct);
        log.LogInformation("User template {What} in {TenantId} by {AadObjectId}", what, tenant.TenantId, turn.Caller.AadObjectId);
    }

    private CustomerTenant? AdminTenant(BotTurn turn, JsonElement data)
    {
        var tenant = AddUserTenant.FromCard(tenants, data);
        if (tenant is null)
        {
            turn.RespondWithError(400, "This card does not name a tenant I manage.");
            return null;
        }
        if (!AddUserTenant.Access(policy, turn.Caller).Has(Role.Admin, AddUserTenant.Ref(tenant)))
        {
            turn.RespondWithError(403, $"Only an admin of {tenant.DisplayName} can change its user templates.");
            return null;
        }
        return tenant;
    }

    private static List<string> List(JsonElement data, string name) =>
        [.. (AddUserTenant.Text(data, name) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase)];

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();
}
