using CippUsers.Bot.Features.Imports;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.BulkAdd;

/// One bulk-add row read as a user: username and domain from a UPN column or the username/domain columns (the tenant's
/// default domain when none is given), the display name from the name columns, licenses and groups split on ; or |.
internal sealed record BulkAddRow(IReadOnlyDictionary<string, string> Values, string DefaultDomain, string? DefaultUsageLocation)
{
    private static readonly char[] ListSeparators = [';', '|', ','];

    public string? this[string field] => Values.TryGetValue(field, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    public string? Username
    {
        get
        {
            var upn = this[ImportColumns.UserPrincipalName];
            if (upn is not null)
                return upn.Contains('@', StringComparison.Ordinal) ? upn[..upn.IndexOf('@', StringComparison.Ordinal)] : upn;
            return this[ImportColumns.Username];
        }
    }

    public string Domain
    {
        get
        {
            var upn = this[ImportColumns.UserPrincipalName];
            if (upn is not null && upn.Contains('@', StringComparison.Ordinal))
                return upn[(upn.IndexOf('@', StringComparison.Ordinal) + 1)..];
            return this[ImportColumns.Domain] ?? DefaultDomain;
        }
    }

    public string UserPrincipalName => $"{Username}@{Domain}";

    public string DisplayName => this[ImportColumns.DisplayName]
        ?? string.Join(' ', new[] { this[ImportColumns.GivenName], this[ImportColumns.Surname] }.Where(s => s is not null));

    public string? UsageLocation => this[ImportColumns.UsageLocation]?.ToUpperInvariant() ?? DefaultUsageLocation;

    public IReadOnlyList<string> Licenses => Split(ImportColumns.Licenses);

    public IReadOnlyList<string> Groups => Split(ImportColumns.Groups);

    /// Entra's "Block sign in" column: Yes blocks sign-in.
    public bool AccountEnabled => !string.Equals(this[ImportColumns.BlockSignIn], "yes", StringComparison.OrdinalIgnoreCase)
                                  && !string.Equals(this[ImportColumns.BlockSignIn], "true", StringComparison.OrdinalIgnoreCase);

    public NewUser ToNewUser(string password) => new(DisplayName, UserPrincipalName, password)
    {
        MailNickname = Username,
        AccountEnabled = AccountEnabled,
        ForceChangePasswordNextSignIn = true, // as CIPP: every bulk-created user changes the password at first sign-in
        GivenName = this[ImportColumns.GivenName],
        Surname = this[ImportColumns.Surname],
        JobTitle = this[ImportColumns.JobTitle],
        Department = this[ImportColumns.Department],
        CompanyName = this[ImportColumns.CompanyName],
        OfficeLocation = this[ImportColumns.OfficeLocation],
        StreetAddress = this[ImportColumns.StreetAddress],
        City = this[ImportColumns.City],
        State = this[ImportColumns.State],
        PostalCode = this[ImportColumns.PostalCode],
        Country = this[ImportColumns.Country],
        MobilePhone = this[ImportColumns.MobilePhone],
        BusinessPhones = this[ImportColumns.BusinessPhone] is { } phone ? [phone] : [],
        UsageLocation = UsageLocation,
        OtherMails = Split(ImportColumns.OtherMails),
    };

    public string? OtherMailsInvalid()
    {
        var bad = Split(ImportColumns.OtherMails).Where(m => !NewUserValidation.IsEmail(m)).ToList();
        return bad.Count == 0 ? null : "Not valid e-mail addresses: " + string.Join(", ", bad);
    }

    /// The Graph property each length-checked field is written to, with its label for messages.
    public static readonly (string Field, string Property, string Label)[] LengthChecked =
    [
        (ImportColumns.GivenName, "givenName", "First name"),
        (ImportColumns.Surname, "surname", "Last name"),
        (ImportColumns.JobTitle, "jobTitle", "Job title"),
        (ImportColumns.Department, "department", "Department"),
        (ImportColumns.CompanyName, "companyName", "Company name"),
        (ImportColumns.OfficeLocation, "officeLocation", "Office"),
        (ImportColumns.StreetAddress, "streetAddress", "Street address"),
        (ImportColumns.City, "city", "City"),
        (ImportColumns.State, "state", "State"),
        (ImportColumns.PostalCode, "postalCode", "Postal code"),
        (ImportColumns.Country, "country", "Country"),
        (ImportColumns.MobilePhone, "mobilePhone", "Mobile phone"),
        (ImportColumns.BusinessPhone, "businessPhones", "Business phone"),
    ];

    private List<string> Split(string field) =>
        this[field] is { } text ? [.. text.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [];
}
