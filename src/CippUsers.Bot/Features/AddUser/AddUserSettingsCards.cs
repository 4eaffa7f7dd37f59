using System.Globalization;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.AddUser;

/// Cards of `preferences [tenant]` and `templates [tenant]` (Add User settings of one tenant).
internal static class AddUserSettingsCards
{
    public const string SavePreferencesVerb = "adduser.preferences.save";
    public const string AttributesInput = "prefAttributes";
    public const string UsageLocationInput = "prefUsageLocation";
    public const string DomainInput = "prefDomain";
    public const string StyleInput = "prefPasswordStyle";
    public const string LengthInput = "prefPasswordLength";

    public const string NewTemplateVerb = "adduser.templates.new";
    public const string EditTemplateVerb = "adduser.templates.edit";
    public const string SaveTemplateVerb = "adduser.templates.save";
    public const string DeleteTemplateVerb = "adduser.templates.delete";
    public const string TemplateKey = "templateName";
    public const string TemplateNameInput = "tplName";
    public const string TemplateLicensesInput = "tplLicenses";
    public const string TemplateGroupsInput = "tplGroups";
    public const string TemplateDepartmentInput = "tplDepartment";
    public const string TemplateUsageLocationInput = "tplUsageLocation";
    public const string TemplateFormatInput = "tplUsernameFormat";

    /// The preferences of <paramref name="tenant"/>; editable (with Save) only when <paramref name="canEdit"/>.
    public static AdaptiveCard Preferences(CustomerTenant tenant, AddUserPreferences prefs, IReadOnlyList<TenantDomain> domains, bool canEdit,
        string? notice = null, IReadOnlyDictionary<string, string>? errors = null)
    {
        errors ??= new Dictionary<string, string>();
        var card = new AdaptiveCard { FallbackText = $"Add User preferences of {tenant.DisplayName}" }
            .Add(new TextBlock($"Add User preferences: {tenant.DisplayName}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        if (notice is not null)
            card.Add(new TextBlock(notice) { Color = TextColor.Good });
        if (!canEdit)
        {
            card.Add(new TextBlock("Only an admin can change these.") { IsSubtle = true, Size = TextSize.Small });
            return card.Add(new FactSet(
            [
                new Fact("Added attributes", prefs.Attributes.Count == 0 ? "none" : string.Join(", ", prefs.Attributes)),
                new Fact("Default usage location", prefs.UsageLocation ?? "none"),
                new Fact("Default domain", prefs.Domain ?? "the tenant's default domain"),
                new Fact("Password style", $"{(prefs.Passphrase ? "passphrase" : "random")}, {prefs.PasswordLength} characters"),
            ]));
        }

        Input(new ChoiceSetInput(AttributesInput, AddUserPreferences.KnownAttributes.Select(a => new Choice(a, a)))
        {
            Label = "Added attributes (each becomes a field of the Add User card)",
            IsMultiSelect = true,
            Style = ChoiceSetStyle.Expanded,
            Value = string.Join(',', prefs.Attributes),
        }, AttributesInput);
        Input(new TextInput(UsageLocationInput) { Label = "Default usage location (two-letter country code)", Value = prefs.UsageLocation, MaxLength = 2 }, UsageLocationInput);
        Input(new ChoiceSetInput(DomainInput, domains.Select(d => new Choice(d.Name, d.Name)))
        {
            Label = "Default domain",
            Placeholder = "The tenant's default domain",
            Value = prefs.Domain,
        }, DomainInput);
        Input(new ChoiceSetInput(StyleInput, [new Choice("Random characters", "random"), new Choice("Passphrase (words)", "passphrase")])
        {
            Label = "Generated password style",
            Style = ChoiceSetStyle.Expanded,
            Value = prefs.Passphrase ? "passphrase" : "random",
        }, StyleInput);
        Input(new NumberInput(LengthInput)
        {
            Label = $"Password length ({AddUserPreferences.MinLength}–{AddUserPreferences.MaxLength}; a passphrase has one word per 4)",
            Value = prefs.PasswordLength,
            Min = AddUserPreferences.MinLength,
            Max = AddUserPreferences.MaxLength,
        }, LengthInput);
        card.AddAction(new ExecuteAction("Save", SavePreferencesVerb, new JsonObject { [AddUserCards.TenantKey] = tenant.TenantId }) { Style = ActionStyle.Positive });
        return card;

        void Input(CardInput input, string id)
        {
            card.Add(input);
            if (errors.TryGetValue(id, out var error))
                card.Add(new TextBlock(error) { Color = TextColor.Attention, Size = TextSize.Small });
        }
    }

    /// The tenant's user templates; admins get New, Edit and Delete.
    public static AdaptiveCard Templates(CustomerTenant tenant, IReadOnlyList<AddUserTemplate> templates, IReadOnlyDictionary<Guid, string> skuNames,
        bool canEdit, string? notice = null)
    {
        var card = new AdaptiveCard { FallbackText = $"User templates of {tenant.DisplayName}" }
            .Add(new TextBlock($"User templates: {tenant.DisplayName}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        if (notice is not null)
            card.Add(new TextBlock(notice) { Color = TextColor.Good });
        if (templates.Count == 0)
            card.Add(new TextBlock(canEdit ? "No templates yet." : "No templates yet. An admin can add some.") { IsSubtle = true });
        foreach (var template in templates)
        {
            var items = new List<CardElement>
            {
                new TextBlock(template.Name) { Weight = TextWeight.Bolder },
                new FactSet(
                [
                    new Fact("Licenses", template.Licenses.Count == 0 ? "none" : string.Join(", ", template.Licenses.Select(l => skuNames.GetValueOrDefault(l, l.ToString())))),
                    new Fact("Groups", template.Groups.Count == 0 ? "none" : string.Join(", ", template.Groups.Select(g => g.DisplayName))),
                    new Fact("Department", template.Department ?? "none"),
                    new Fact("Usage location", template.UsageLocation ?? "none"),
                    new Fact("Username", template.UsernameFormat),
                ]),
            };
            if (canEdit)
            {
                var data = new JsonObject { [AddUserCards.TenantKey] = tenant.TenantId, [TemplateKey] = template.Name };
                items.Add(new ActionSet(
                [
                    new ExecuteAction("Edit", EditTemplateVerb, data) { SendInputs = false },
                    new ExecuteAction("Delete", DeleteTemplateVerb, data) { SendInputs = false, Style = ActionStyle.Destructive },
                ]));
            }
            card.Add(new Container(items) { Separator = true });
        }
        if (canEdit)
            card.AddAction(new ExecuteAction("New template", NewTemplateVerb, new JsonObject { [AddUserCards.TenantKey] = tenant.TenantId }) { SendInputs = false });
        return card;
    }

    /// Add or edit one template (<paramref name="template"/> null: a new one).
    public static AdaptiveCard TemplateEditor(CustomerTenant tenant, AddUserTemplate? template, IReadOnlyList<LicenseSku> skus, IReadOnlyList<TemplateGroup> groups,
        IReadOnlyDictionary<string, string>? errors = null)
    {
        errors ??= new Dictionary<string, string>();
        var card = new AdaptiveCard { FallbackText = $"User template for {tenant.DisplayName}" }
            .Add(new TextBlock(template is null ? $"New user template: {tenant.DisplayName}" : $"Edit template “{template.Name}”: {tenant.DisplayName}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        Input(new TextInput(TemplateNameInput) { Label = "Name", Value = template?.Name, MaxLength = 64 }, TemplateNameInput);
        Input(new ChoiceSetInput(TemplateLicensesInput, skus.Where(s => s.AssignableToUsers).Select(s => new Choice($"{s.FriendlyName} ({s.Available} available)", s.SkuId.ToString())))
        {
            Label = "Licenses",
            IsMultiSelect = true,
            Value = template is null ? null : string.Join(',', template.Licenses),
        }, TemplateLicensesInput);
        Input(new ChoiceSetInput(TemplateGroupsInput, groups.Select(g => new Choice(g.DisplayName, g.Id)))
        {
            Label = "Groups",
            IsMultiSelect = true,
            Value = template is null ? null : string.Join(',', template.Groups.Select(g => g.Id)),
        }, TemplateGroupsInput);
        Input(new TextInput(TemplateDepartmentInput) { Label = "Department", Value = template?.Department, MaxLength = 64 }, TemplateDepartmentInput);
        Input(new TextInput(TemplateUsageLocationInput) { Label = "Usage location (two-letter country code)", Value = template?.UsageLocation, MaxLength = 2 }, TemplateUsageLocationInput);
        Input(new ChoiceSetInput(TemplateFormatInput,
        [
            new Choice("first.last (jane.doe)", AddUserTemplate.FirstDotLast),
            new Choice("flast (jdoe)", AddUserTemplate.FLast),
            new Choice("firstl (janed)", AddUserTemplate.FirstL),
            new Choice("first (jane)", AddUserTemplate.First),
        ])
        { Label = "Username format", Value = template?.UsernameFormat ?? AddUserTemplate.FirstDotLast }, TemplateFormatInput);
        var data = new JsonObject { [AddUserCards.TenantKey] = tenant.TenantId };
        if (template is not null)
            data[TemplateKey] = template.Name;
        card.AddAction(new ExecuteAction("Save template", SaveTemplateVerb, data) { Style = ActionStyle.Positive });
        return card;

        void Input(CardInput input, string id)
        {
            card.Add(input);
            if (errors.TryGetValue(id, out var error))
                card.Add(new TextBlock(error) { Color = TextColor.Attention, Size = TextSize.Small });
        }
    }

    public static string Describe(AddUserPreferences prefs) => string.Create(CultureInfo.InvariantCulture,
        $"attributes: {(prefs.Attributes.Count == 0 ? "none" : string.Join(", ", prefs.Attributes))}; usage location: {prefs.UsageLocation ?? "none"}; domain: {prefs.Domain ?? "default"}; password: {(prefs.Passphrase ? "passphrase" : "random")}, {prefs.PasswordLength}");
}
