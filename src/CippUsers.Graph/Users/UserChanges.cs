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
        var user = new User
        {
            DisplayName = DisplayName,
            GivenName = GivenName,
            Surname = Surname,
            JobTitle = JobTitle,
            Department = Department,
            CompanyName = CompanyName,
            OfficeLocation = OfficeLocation,
            MobilePhone = MobilePhone,
            BusinessPhones = BusinessPhones?.ToList(),
            StreetAddress = StreetAddress,
            City = City,
            State = State,
            PostalCode = PostalCode,
            Country = Country,
            UsageLocation = UsageLocation,
            UserPrincipalName = UserPrincipalName,
            MailNickname = MailNickname,
            AccountEnabled = AccountEnabled,
            OtherMails = OtherMails?.ToList(),
        };
        // The SDK skips null properties when serializing; an explicit JSON null has to go through AdditionalData.
        foreach (var name in Clear.Where(Clearable.Contains))
            user.AdditionalData[name] = null!;
        return user;
    }
}
