using System.Globalization;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.AddUser;

/// Cards of `preferences [tenant]` (Add User preferences of one tenant).
internal static class AddUserSettingsCards
{
    public const string SavePreferencesVerb = "adduser.preferences.save";
    public const string AttributesInput = "prefAttributes";
    public const string UsageLocationInput = "prefUsageLocation";
    public const string DomainInput = "prefDomain";
    public const string StyleInput = "prefPasswordStyle";
    public const string LengthInput = "prefPasswordLength";

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

    public static string Describe(AddUserPreferences prefs) => string.Create(CultureInfo.InvariantCulture,
        $"attributes: {(prefs.Attributes.Count == 0 ? "none" : string.Join(", ", prefs.Attributes))}; usage location: {prefs.UsageLocation ?? "none"}; domain: {prefs.Domain ?? "default"}; password: {(prefs.Passphrase ? "passphrase" : "random")}, {prefs.PasswordLength}");
}
