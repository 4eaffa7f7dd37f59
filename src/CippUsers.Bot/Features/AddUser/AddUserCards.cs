using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Storage;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.AddUser;

internal static class AddUserCards
{
    public const string SubmitVerb = "adduser.submit";
    public const string ConfirmVerb = "adduser.confirm";
    public const string CancelVerb = "adduser.cancel";
    public const string RetryVerb = "adduser.retry";
    public const string FindVerb = "adduser.find";
    public const string FindKey = "find";
    public const string ApplyTemplateVerb = "adduser.template";
    public const string CancelScheduledVerb = "adduser.task.cancel";
    public const string TenantKey = "tenantId";
    public const string OperationKey = "operationId";
    public const string StepKey = "step";

    /// The Add User form, prefilled with <paramref name="form"/>, with each error under its field.
    public static AdaptiveCard Form(
        CustomerTenant tenant,
        IReadOnlyList<TenantDomain> domains,
        IReadOnlyList<LicenseSku> skus,
        IReadOnlyList<string> attributes,
        AddUserForm form,
        IReadOnlyDictionary<string, string> errors,
        IReadOnlyList<string> unknownKeys,
        AddUserFormExtras? extras = null)
    {
        extras ??= new AddUserFormExtras();
        var card = new AdaptiveCard { FallbackText = $"Add a user to {tenant.DisplayName}" };
        card.Add(new TextBlock($"Add user to {tenant.DisplayName}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        if (unknownKeys.Count > 0)
            card.Add(new TextBlock("Ignored unknown prefill keys: " + string.Join(", ", unknownKeys)) { Color = TextColor.Warning });
        if (errors.Count > 0)
            card.Add(new TextBlock("Please fix the fields marked below. Nothing was sent to the tenant.") { Color = TextColor.Attention });

        if (extras.Templates.Count > 0)
        {
            Input(new ChoiceSetInput(AddUserForm.Template, extras.Templates.Select(t => new Choice(t, t)))
            { Label = "User template", Placeholder = "No template", Value = form[AddUserForm.Template] }, AddUserForm.Template);
            card.Add(new ActionSet([new ExecuteAction("Apply template", ApplyTemplateVerb, new JsonObject { [TenantKey] = tenant.TenantId })]));
        }

        Text(AddUserForm.GivenName, "First name", 64);
        Text(AddUserForm.Surname, "Last name", 64);
        Text(AddUserForm.DisplayName, "Display name (empty: first and last name)", 256);
        // Not isRequired: the client would then refuse the Find buttons until a username is typed (checked server-side).
        Text(AddUserForm.Username, "Username (required)", 64);
        var defaultDomain = form[AddUserForm.Domain] ?? domains.FirstOrDefault(d => d.IsDefault)?.Name ?? (domains.Count > 0 ? domains[0].Name : null);
        Input(new ChoiceSetInput(AddUserForm.Domain, domains.Select(d => new Choice(d.Name, d.Name))) { Label = "Primary domain", Value = defaultDomain, IsRequired = true }, AddUserForm.Domain);
        Input(new TextInput(AddUserForm.Aliases) { Label = "Email aliases (one per line, without domain)", Value = form[AddUserForm.Aliases], IsMultiline = true }, AddUserForm.Aliases);
        Input(new ChoiceSetInput(AddUserForm.PasswordMode, [new Choice("Generate a password (sent to you privately)", "generated"), new Choice("Type a password", "typed")])
        { Label = "Password", Value = form[AddUserForm.PasswordMode] ?? "generated", Style = ChoiceSetStyle.Expanded }, AddUserForm.PasswordMode);
        Input(new TextInput(AddUserForm.Password) { Label = "Typed password (only if 'Type a password')", MaxLength = 256 }, AddUserForm.Password);
        Input(new ToggleInput(AddUserForm.MustChangePass, "Require password change at next logon") { Value = form.MustChange }, AddUserForm.MustChangePass);
        Text(AddUserForm.UsageLocation, "Usage location (two-letter country code)", 2);
        var chosen = form[AddUserForm.Licenses];
        Input(new ChoiceSetInput(AddUserForm.Licenses, skus.Where(s => s.AssignableToUsers)
            .Select(s => new Choice($"{s.FriendlyName} ({s.Available} available)", s.SkuId.ToString())))
        { Label = "Licenses", IsMultiSelect = true, Value = chosen }, AddUserForm.Licenses);
        Text(AddUserForm.JobTitle, "Job title", 128);
        Text(AddUserForm.Department, "Department", 64);
        Text(AddUserForm.CompanyName, "Company name", 64);
        Text(AddUserForm.StreetAddress, "Street address", 1024);
        Text(AddUserForm.City, "City", 128);
        Text(AddUserForm.State, "State/province", 128);
        Text(AddUserForm.PostalCode, "Postal code", 40);
        Text(AddUserForm.Country, "Country", 128);
        Text(AddUserForm.MobilePhone, "Mobile phone", 64);
        Text(AddUserForm.BusinessPhone, "Business phone", 64);
        Text(AddUserForm.OtherMails, "Alternate email addresses (comma separated)", 1024);
        Picker(AddUserForm.Manager, AddUserForm.ManagerSearch, "Manager", extras.Manager);
        Picker(AddUserForm.CopyGroupsFrom, AddUserForm.CopyGroupsSearch, "Copy groups from", extras.CopyGroupsFrom);
        if (extras.Groups.Count > 0 || form[AddUserForm.Groups] is not null)
        {
            var names = extras.Groups.ToDictionary(g => g.Id, g => g.DisplayName, StringComparer.OrdinalIgnoreCase);
            var ids = extras.Groups.Select(g => g.Id).Union(new AddUserForm(form.Values).GroupList, StringComparer.OrdinalIgnoreCase);
            Input(new ChoiceSetInput(AddUserForm.Groups, ids.Select(id => new Choice(names.GetValueOrDefault(id, id), id)))
            { Label = "Add to groups", IsMultiSelect = true, Style = ChoiceSetStyle.Expanded, Value = form[AddUserForm.Groups] }, AddUserForm.Groups);
        }
        foreach (var attribute in attributes)
            Text(AddUserForm.AttributePrefix + attribute, attribute, 1024);

        card.Add(new TextBlock($"Create later (optional), in your time zone: {AddUserSchedule.ZoneName(extras.TimeZone)}") { Weight = TextWeight.Bolder, Spacing = Spacing.Medium });
        Input(new DateInput(AddUserForm.ScheduleDate)
        {
            Label = "Date (empty: create now)",
            Value = DateOnly.TryParseExact(form[AddUserForm.ScheduleDate], "yyyy-MM-dd", out var day) ? day : null,
            Min = extras.Today,
        }, AddUserForm.ScheduleDate);
        Input(new TimeInput(AddUserForm.ScheduleTime)
        {
            Label = "Time",
            Value = TimeOnly.TryParseExact(form[AddUserForm.ScheduleTime], "HH:mm", out var clock) ? clock : null,
        }, AddUserForm.ScheduleTime);

        card.AddAction(new ExecuteAction("Review and create", SubmitVerb, new JsonObject { [TenantKey] = tenant.TenantId }) { Style = ActionStyle.Positive });
        return card;

        void Text(string id, string label, int max, bool required = false) =>
            Input(new TextInput(id) { Label = label, Value = form[id], MaxLength = max, IsRequired = required }, id);

        void Input(CardInput input, string id)
        {
            card.Add(input);
            Error(id);
        }

        void Error(string id)
        {
            if (errors.TryGetValue(id, out var error))
                card.Add(new TextBlock(error) { Color = TextColor.Attention, Size = TextSize.Small });
        }

        // Small tenants: one choice list of everyone. Otherwise a search box and a Find button that refreshes this card
        // with the matches (Teams has no typeahead in every client, and a ChoiceSet cannot hold a large tenant).
        void Picker(string field, string searchField, string label, UserPicker? picker)
        {
            var choices = (picker?.Choices ?? []).Select(c => new Choice(ChoiceTitle(c), c.Id)).ToList();
            if (picker is { IsFullList: true })
            {
                Input(new ChoiceSetInput(field, choices) { Label = label, Placeholder = "None", Value = form[field] }, field);
                return;
            }
            card.Add(new TextInput(searchField) { Label = $"{label}: search by name or UPN", Value = form[searchField], MaxLength = 100 });
            card.Add(new ActionSet([new ExecuteAction($"Find {label.ToLowerInvariant()}", FindVerb, new JsonObject { [TenantKey] = tenant.TenantId, [FindKey] = field })]));
            if (choices.Count > 0)
                Input(new ChoiceSetInput(field, choices) { Label = $"{label} ({choices.Count} found)", Placeholder = "None", Value = form[field] }, field);
            else
            {
                if (picker?.Search is { } search)
                    card.Add(new TextBlock($"No user matches “{search}”.") { Color = TextColor.Warning, Size = TextSize.Small });
                Error(field);
            }
        }
    }

    public static string ChoiceTitle(UserChoice user) => $"{user.DisplayName} ({user.UserPrincipalName})";

    /// The summary to confirm; the card carries only the operation id. <paramref name="shown"/> replaces stored values
    /// (object ids) with what the tech recognises (names).
    public static AdaptiveCard Confirmation(PendingOperation op, AddUserForm form, IReadOnlyDictionary<string, string>? shown = null)
    {
        var card = new AdaptiveCard { FallbackText = $"Create {form.UserPrincipalName}?" };
        card.Add(new TextBlock($"Create {form.UserPrincipalName} in {op.TenantName}?") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        card.Add(new FactSet(Facts(form, shown ?? new Dictionary<string, string>())));
        var scheduled = AddUserSchedule.At(op.Parameters) is not null;
        if (scheduled)
            card.Add(new TextBlock($"Scheduled for {AddUserSchedule.Describe(op.Parameters)}. The password is made then and sent to you privately.") { Color = TextColor.Accent });
        card.AddAction(new ExecuteAction(scheduled ? "Schedule creation" : "Create user", ConfirmVerb, new JsonObject { [OperationKey] = op.Id.ToString() }) { Style = ActionStyle.Positive });
        card.AddAction(new ExecuteAction("Cancel", CancelVerb, new JsonObject { [OperationKey] = op.Id.ToString() }) { SendInputs = false });
        return card;
    }

    /// A confirmed creation waiting for its time, with Cancel.
    public static AdaptiveCard Scheduled(PendingOperation op, string upn) =>
        new AdaptiveCard { FallbackText = $"{upn} will be created at {AddUserSchedule.Describe(op.Parameters)}" }
            .Add(new TextBlock($"Scheduled: {upn}") { Size = TextSize.Medium, Weight = TextWeight.Bolder })
            .Add(new TextBlock($"Will be created in {op.TenantName} at {AddUserSchedule.Describe(op.Parameters)}. `tasks` lists it."))
            .AddAction(new ExecuteAction("Cancel", CancelScheduledVerb, new JsonObject { [OperationKey] = op.Id.ToString() }) { SendInputs = false, Style = ActionStyle.Destructive });

    public static AdaptiveCard Running(string upn) =>
        new AdaptiveCard { FallbackText = $"Creating {upn}" }.Add(new TextBlock($"Creating {upn}…") { Weight = TextWeight.Bolder });

    public static AdaptiveCard Message(string title, string text) =>
        new AdaptiveCard { FallbackText = title }
            .Add(new TextBlock(title) { Weight = TextWeight.Bolder })
            .Add(new TextBlock(text));

    /// ✓/✗ per step with its reason; failed follow-up steps get a Retry button (the create itself is never retried).
    public static AdaptiveCard Result(PendingOperation op, string upn)
    {
        var card = new AdaptiveCard { FallbackText = $"Add user {upn}: {op.State}" };
        var title = op.State switch
        {
            OperationState.Succeeded => $"Created {upn}",
            OperationState.PartlySucceeded => $"Created {upn}, some steps failed",
            _ => $"Could not create {upn}",
        };
        card.Add(new TextBlock(title) { Size = TextSize.Medium, Weight = TextWeight.Bolder, Color = op.State == OperationState.Succeeded ? TextColor.Good : TextColor.Attention });
        foreach (var step in op.Results)
            card.Add(new TextBlock($"{(step.Succeeded ? "✓" : "✗")} {step.DisplayName}: {step.Message}") { Color = step.Succeeded ? TextColor.Default : TextColor.Attention });
        foreach (var step in op.Results.Where(r => !r.Succeeded && r.TargetId != nameof(ProvisioningStepKind.Create)))
        {
            card.AddAction(new ExecuteAction($"Retry {step.DisplayName}", RetryVerb,
                new JsonObject { [OperationKey] = op.Id.ToString(), [StepKey] = step.TargetId })
            { SendInputs = false });
        }
        return card;
    }

    private static List<Fact> Facts(AddUserForm form, IReadOnlyDictionary<string, string> shown)
    {
        var facts = new List<Fact> { new("Display name", form.EffectiveDisplayName), new("User principal name", form.UserPrincipalName) };
        foreach (var field in AddUserForm.Fields.Where(f => f is not AddUserForm.Username and not AddUserForm.Domain and not AddUserForm.DisplayName))
        {
            if (form[field] is { } value)
                facts.Add(new Fact(field, shown.GetValueOrDefault(field, value)));
        }
        foreach (var (name, value) in form.Attributes)
            facts.Add(new Fact(name, value));
        return facts;
    }
}
