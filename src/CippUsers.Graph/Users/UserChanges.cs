using Microsoft.Graph.Models;

namespace CippUsers.Graph;

/// <summary>
/// The properties to change on a user: a non-null value is set, a name in <see cref="Clear"/> is set to JSON null,
/// everything else is left alone (Graph's PATCH semantics).
/// </summary>
public sealed record UserChanges
{
    public string? DisplayName { get; init; }
    public string? GivenName { get; init; }
    public string? Surname { get; init; }
    public string? JobTitle { get; init; }
    public string? Department { get; init; }
    public string? CompanyName { get; init; }
    public string? OfficeLocation { get; init; }
    public string? MobilePhone { get; init; }
    public IReadOnlyList<string>? BusinessPhones { get; init; }
    public string? StreetAddress { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
    public string? UsageLocation { get; init; }
    public string? UserPrincipalName { get; init; }
    public string? MailNickname { get; init; }
    public bool? AccountEnabled { get; init; }
    public IReadOnlyList<string>? OtherMails { get; init; }

    /// <summary>Graph property names to clear (see <see cref="Clearable"/>).</summary>
    public IReadOnlySet<string> Clear { get; init; } = new HashSet<string>();

    /// <summary>Properties Graph lets you clear with null. displayName, usageLocation, UPN and mail cannot be cleared.</summary>
    public static IReadOnlySet<string> Clearable { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "givenName", "surname", "jobTitle", "department", "companyName", "officeLocation", "mobilePhone",
        "streetAddress", "city", "state", "postalCode", "country",
    };

    /// <summary>Nothing to send.</summary>
    public bool IsEmpty => Changed().Count == 0;

    /// <summary>
    /// Only what differs between <paramref name="before"/> and <paramref name="after"/>; an emptied clearable text
    /// becomes an explicit clear.
    /// </summary>
    public static UserChanges Between(TenantUser before, TenantUser after)
    {
        var clear = new HashSet<string>(StringComparer.Ordinal);
        string? Diff(string? a, string? b, string name)
        {
            if (string.Equals(a ?? "", b ?? "", StringComparison.Ordinal))
                return null;
            if (string.IsNullOrEmpty(b))
            {
                if (Clearable.Contains(name))
                    clear.Add(name);
                return null;
            }
            return b;
        }

        var changes = new UserChanges
        {
            DisplayName = Diff(before.DisplayName, after.DisplayName, "displayName"),
            GivenName = Diff(before.GivenName, after.GivenName, "givenName"),
            Surname = Diff(before.Surname, after.Surname, "surname"),
            JobTitle = Diff(before.JobTitle, after.JobTitle, "jobTitle"),
            Department = Diff(before.Department, after.Department, "department"),
            CompanyName = Diff(before.CompanyName, after.CompanyName, "companyName"),
            OfficeLocation = Diff(before.OfficeLocation, after.OfficeLocation, "officeLocation"),
            MobilePhone = Diff(before.MobilePhone, after.MobilePhone, "mobilePhone"),
            StreetAddress = Diff(before.StreetAddress, after.StreetAddress, "streetAddress"),
            City = Diff(before.City, after.City, "city"),
            State = Diff(before.State, after.State, "state"),
            PostalCode = Diff(before.PostalCode, after.PostalCode, "postalCode"),
            Country = Diff(before.Country, after.Country, "country"),
            UsageLocation = Diff(before.UsageLocation, after.UsageLocation, "usageLocation"),
            UserPrincipalName = Diff(before.UserPrincipalName, after.UserPrincipalName, "userPrincipalName"),
            MailNickname = Diff(before.MailNickname, after.MailNickname, "mailNickname"),
            AccountEnabled = before.AccountEnabled == after.AccountEnabled ? null : after.AccountEnabled,
            BusinessPhones = before.BusinessPhones.SequenceEqual(after.BusinessPhones) ? null : after.BusinessPhones,
            OtherMails = before.OtherMails.SequenceEqual(after.OtherMails) ? null : after.OtherMails,
        };
        return changes with { Clear = clear };
    }

    /// <summary>Names of the properties this change sets or clears, for audit lines.</summary>
    public IReadOnlyList<string> Changed()
    {
        var names = new List<string>();
        void Add(object? value, string name)
        {
            if (value is not null)
                names.Add(name);
        }
        Add(DisplayName, "displayName"); Add(GivenName, "givenName"); Add(Surname, "surname"); Add(JobTitle, "jobTitle");
        Add(Department, "department"); Add(CompanyName, "companyName"); Add(OfficeLocation, "officeLocation");
        Add(MobilePhone, "mobilePhone"); Add(BusinessPhones, "businessPhones"); Add(StreetAddress, "streetAddress");
        Add(City, "city"); Add(State, "state"); Add(PostalCode, "postalCode"); Add(Country, "country");
        Add(UsageLocation, "usageLocation"); Add(UserPrincipalName, "userPrincipalName"); Add(MailNickname, "mailNickname");
        Add(AccountEnabled, "accountEnabled"); Add(OtherMails, "otherMails");
        names.AddRange(Clear.Where(Clearable.Contains).Except(names, StringComparer.Ordinal));
        return names;
    }

    internal User ToGraph()
    {
        // The SDK's backing store sends every property that was assigned, null included, so assign only what changes.
        var user = Bodies.New<User>();
        if (DisplayName is not null) user.DisplayName = DisplayName;
        if (GivenName is not null) user.GivenName = GivenName;
        if (Surname is not null) user.Surname = Surname;
        if (JobTitle is not null) user.JobTitle = JobTitle;
        if (Department is not null) user.Department = Department;
        if (CompanyName is not null) user.CompanyName = CompanyName;
        if (OfficeLocation is not null) user.OfficeLocation = OfficeLocation;
        if (MobilePhone is not null) user.MobilePhone = MobilePhone;
        if (BusinessPhones is not null) user.BusinessPhones = [.. BusinessPhones];
        if (StreetAddress is not null) user.StreetAddress = StreetAddress;
        if (City is not null) user.City = City;
        if (State is not null) user.State = State;
        if (PostalCode is not null) user.PostalCode = PostalCode;
        if (Country is not null) user.Country = Country;
        if (UsageLocation is not null) user.UsageLocation = UsageLocation;
        if (UserPrincipalName is not null) user.UserPrincipalName = UserPrincipalName;
        if (MailNickname is not null) user.MailNickname = MailNickname;
        if (AccountEnabled is not null) user.AccountEnabled = AccountEnabled;
        if (OtherMails is not null) user.OtherMails = [.. OtherMails];
        // An explicit JSON null clears a value.
        foreach (var name in Clear.Where(Clearable.Contains))
            user.AdditionalData[name] = null!;
        return user;
    }
}
