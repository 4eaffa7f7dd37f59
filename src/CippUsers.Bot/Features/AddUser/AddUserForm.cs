using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.AddUser;

/// The Add User form's values by field id (card input ids = operation parameter keys). Never holds a password: a typed
/// password travels only from the card submit to the in-memory hand-off.
internal sealed record AddUserForm(IReadOnlyDictionary<string, string> Values)
{
    public const string GivenName = "givenName";
    public const string Surname = "surname";
    public const string DisplayName = "displayName";
    public const string Username = "username";
    public const string Domain = "domain";
    public const string Aliases = "aliases";
    public const string PasswordMode = "passwordMode";
    public const string Password = "typedPassword";
    public const string MustChangePass = "mustChangeAtNextLogon"; // not "...Pass": the store refuses keys that name a secret
    public const string UsageLocation = "usageLocation";
    public const string Licenses = "licenses";
    public const string JobTitle = "jobTitle";
    public const string Department = "department";
    public const string CompanyName = "companyName";
    public const string StreetAddress = "streetAddress";
    public const string City = "city";
    public const string State = "state";
    public const string PostalCode = "postalCode";
    public const string Country = "country";
    public const string MobilePhone = "mobilePhone";
    public const string BusinessPhone = "businessPhone";
    public const string OtherMails = "otherMails";
    public const string Manager = "manager";
    public const string CopyGroupsFrom = "copyGroupsFrom";
    public const string Groups = "groups";
    public const string AttributePrefix = "attr.";

    // Card-only inputs: read back on every refresh of the card, never stored with the operation.
    public const string ManagerSearch = "managerSearch";
    public const string CopyGroupsSearch = "copyGroupsSearch";
    public const string Template = "template";
    public const string ScheduleDate = "scheduleDate";
    public const string ScheduleTime = "scheduleTime";

    /// Every stored field (the password is not one of them).
    public static readonly string[] Fields =
    [
        GivenName, Surname, DisplayName, Username, Domain, Aliases, PasswordMode, MustChangePass, UsageLocation, Licenses,
        JobTitle, Department, CompanyName, StreetAddress, City, State, PostalCode, Country, MobilePhone, BusinessPhone,
        OtherMails, Manager, CopyGroupsFrom, Groups,
    ];

    /// Inputs that only drive the card (searches, choices that fill other fields); not stored, not shown on the summary.
    public static readonly string[] CardOnlyFields = [ManagerSearch, CopyGroupsSearch, Template, ScheduleDate, ScheduleTime];

    public string? this[string field] => Values.TryGetValue(field, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    public string UserPrincipalName => $"{this[Username]}@{this[Domain]}";

    public string EffectiveDisplayName => this[DisplayName] ?? string.Join(' ', new[] { this[GivenName], this[Surname] }.Where(s => s is not null));

    public IReadOnlyList<string> AliasList => Split(this[Aliases], ['\n', '\r', ' ', ',', ';']);

    public IReadOnlyList<string> OtherMailList => Split(this[OtherMails], [',', ';', ' ']);

    public IReadOnlyList<string> GroupList => Split(this[Groups], [',']);

    public IReadOnlyList<Guid> LicenseList => [.. Split(this[Licenses], [',']).Select(s => Guid.TryParse(s, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty)];

    public IReadOnlyDictionary<string, string> Attributes => Values
        .Where(p => p.Key.StartsWith(AttributePrefix, StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(p.Value))
        .ToDictionary(p => p.Key[AttributePrefix.Length..], p => p.Value.Trim(), StringComparer.Ordinal);

    public bool MustChange => bool.TryParse(this[MustChangePass], out var b) && b;

    public bool TypedPassword => string.Equals(this[PasswordMode], "typed", StringComparison.Ordinal);

    /// Reads the submitted card: known fields and attribute fields only (anything else is ignored).
    public static (AddUserForm Form, string? Password) FromCard(JsonElement data)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? password = null;
        if (data.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in data.EnumerateObject())
            {
                var text = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number => property.Value.GetRawText(),
                    _ => null,
                };
                if (text is null)
                    continue;
                if (property.Name == Password)
                    password = text;
                else if (Fields.Contains(property.Name) || CardOnlyFields.Contains(property.Name) || property.Name.StartsWith(AttributePrefix, StringComparison.Ordinal)
                    || property.Name.StartsWith(Sherweb.SherwebPurchase.Prefix, StringComparison.Ordinal))
                    values[property.Name] = text;
            }
        }
        return (new AddUserForm(values), password);
    }

    public JsonObject ToParameters()
    {
        var o = new JsonObject();
        foreach (var (key, value) in Values)
        {
            if (!string.IsNullOrWhiteSpace(value) && !CardOnlyFields.Contains(key))
                o[key] = value.Trim();
        }
        return o;
    }

    /// The same form with some fields replaced (a null value removes the field).
    public AddUserForm With(params (string Field, string? Value)[] changes)
    {
        var values = new Dictionary<string, string>(Values, StringComparer.Ordinal);
        foreach (var (field, value) in changes)
        {
            if (value is null)
                values.Remove(field);
            else
                values[field] = value;
        }
        return new AddUserForm(values);
    }

    public static AddUserForm FromParameters(JsonObject parameters) =>
        new(parameters.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal));

    /// Checks everything that can be checked before the tenant is called. Returns field id → message.
    public IReadOnlyDictionary<string, string> Validate(IReadOnlyCollection<string> verifiedDomains, string? password)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (EffectiveDisplayName.Length == 0)
            errors[DisplayName] = "Display name is required (or give a first and last name).";
        else if (EffectiveDisplayName.Length > 256)
            errors[DisplayName] = "Display name can be at most 256 characters.";
        Max(GivenName, 64, "First name");
        Max(Surname, 64, "Last name");
        Max(JobTitle, 128, "Job title");
        Max(Department, 64, "Department");
        Max(CompanyName, 64, "Company name");
        Max(City, 128, "City");
        Max(State, 128, "State/province");
        Max(PostalCode, 40, "Postal code");
        Max(StreetAddress, 1024, "Street address");
        Max(MobilePhone, 64, "Mobile phone");

        var username = this[Username];
        if (username is null)
            errors[Username] = "Username is required.";
        else if (NewUserValidation.CheckUsername(username) is { } usernameError)
            errors[Username] = usernameError;

        var domain = this[Domain];
        if (domain is null)
            errors[Domain] = "Choose a domain.";
        else if (!verifiedDomains.Contains(domain, StringComparer.OrdinalIgnoreCase))
            errors[Domain] = $"{domain} is not a verified domain of this tenant.";

        var aliases = AliasList;
        var bad = aliases.Where(a => !NewUserValidation.IsValidAlias(a.Split('@')[0]) || (a.Contains('@', StringComparison.Ordinal)
            && !verifiedDomains.Contains(a[(a.IndexOf('@', StringComparison.Ordinal) + 1)..], StringComparer.OrdinalIgnoreCase))).ToList();
        var duplicates = aliases.GroupBy(a => a, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (bad.Count > 0)
            errors[Aliases] = "Invalid aliases (one per line, letters/digits/. - _, verified domains only): " + string.Join(", ", bad);
        else if (duplicates.Count > 0)
            errors[Aliases] = "Duplicate aliases: " + string.Join(", ", duplicates);
        else if (username is not null && aliases.Any(a => string.Equals(a.Split('@')[0], username, StringComparison.OrdinalIgnoreCase) && (!a.Contains('@', StringComparison.Ordinal) || string.Equals(a, UserPrincipalName, StringComparison.OrdinalIgnoreCase))))
            errors[Aliases] = "An alias repeats the user's own address.";

        var badMails = OtherMailList.Where(m => !NewUserValidation.IsEmail(m)).ToList();
        if (badMails.Count > 0)
            errors[OtherMails] = "Not valid e-mail addresses: " + string.Join(", ", badMails);

        if (GroupList.Any(g => !Guid.TryParse(g, out _)))
            errors[Groups] = "Groups are chosen from the list (object ids).";

        var location = this[UsageLocation];
        if (location is not null && !NewUserValidation.IsUsageLocation(location))
            errors[UsageLocation] = "Usage location is a two-letter country code (e.g. US, NL).";
        if (LicenseList.Count > 0 && location is null)
            errors[UsageLocation] = "A usage location is needed to assign licenses.";

        if (TypedPassword)
        {
            if (string.IsNullOrEmpty(password))
                errors[Password] = "Type a password or choose a generated one.";
            else if (PasswordGenerator.CheckComplexity(password) is { } reason)
                errors[Password] = reason;
        }

        return errors;

        void Max(string field, int max, string label)
        {
            if (this[field] is { } v && v.Length > max)
                errors[field] = $"{label} can be at most {max} characters.";
        }
    }

    public ProvisioningRequest ToRequest(string password)
    {
        var user = new NewUser(EffectiveDisplayName, UserPrincipalName, password)
        {
            MailNickname = this[Username],
            GivenName = this[GivenName],
            Surname = this[Surname],
            JobTitle = this[JobTitle],
            Department = this[Department],
            CompanyName = this[CompanyName],
            StreetAddress = this[StreetAddress],
            City = this[City],
            State = this[State],
            PostalCode = this[PostalCode],
            Country = this[Country],
            MobilePhone = this[MobilePhone],
            BusinessPhones = this[BusinessPhone] is { } phone ? [phone] : [],
            UsageLocation = this[UsageLocation]?.ToUpperInvariant(),
            OtherMails = OtherMailList,
            ForceChangePasswordNextSignIn = MustChange,
        };
        return new ProvisioningRequest(user)
        {
            Aliases = AliasList,
            Licenses = LicenseList,
            Manager = this[Manager],
            CopyGroupsFrom = this[CopyGroupsFrom],
            Groups = GroupList,
            CustomAttributes = Attributes,
        };
    }

    private static List<string> Split(string? text, char[] separators) =>
        text is null ? [] : [.. text.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
