using Microsoft.Graph.Models;

namespace CippUsers.Graph;

/// <summary>A user of a customer tenant, with the properties the Users page shows.</summary>
public sealed record TenantUser(
    string Id,
    string UserPrincipalName,
    string DisplayName,
    string? Mail,
    bool AccountEnabled,
    string? UserType)
{
    public string? GivenName { get; init; }
    public string? Surname { get; init; }
    public string? JobTitle { get; init; }
    public string? Department { get; init; }
    public string? CompanyName { get; init; }
    public string? OfficeLocation { get; init; }
    public string? MobilePhone { get; init; }
    public IReadOnlyList<string> BusinessPhones { get; init; } = [];
    public string? StreetAddress { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
    public string? UsageLocation { get; init; }
    public string? PreferredLanguage { get; init; }
    public string? MailNickname { get; init; }
    public IReadOnlyList<string> ProxyAddresses { get; init; } = [];
    public IReadOnlyList<string> OtherMails { get; init; } = [];
    public IReadOnlyList<Guid> AssignedSkuIds { get; init; } = [];
    public bool OnPremisesSyncEnabled { get; init; }
    public string? OnPremisesImmutableId { get; init; }
    public DateTimeOffset? OnPremisesLastSyncDateTime { get; init; }
    public DateTimeOffset? CreatedDateTime { get; init; }
    public string? PasswordPolicies { get; init; }

    /// <summary>Whether this is a B2B guest.</summary>
    public bool IsGuest => string.Equals(UserType, "Guest", StringComparison.OrdinalIgnoreCase);

    /// <summary>The $select every user read sends: everything this record holds.</summary>
    public static IReadOnlyList<string> SelectProperties { get; } =
    [
        "id", "userPrincipalName", "displayName", "mail", "accountEnabled", "userType", "givenName", "surname",
        "jobTitle", "department", "companyName", "officeLocation", "mobilePhone", "businessPhones", "streetAddress",
        "city", "state", "postalCode", "country", "usageLocation", "preferredLanguage", "mailNickname",
        "proxyAddresses", "otherMails", "assignedLicenses", "onPremisesSyncEnabled", "onPremisesImmutableId",
        "onPremisesLastSyncDateTime", "createdDateTime", "passwordPolicies",
    ];

    internal static string[] Select => [.. SelectProperties];

    internal static TenantUser From(User u) => new(
        u.Id ?? "",
        u.UserPrincipalName ?? "",
        u.DisplayName ?? u.UserPrincipalName ?? "",
        u.Mail,
        u.AccountEnabled ?? false,
        u.UserType)
    {
        GivenName = u.GivenName,
        Surname = u.Surname,
        JobTitle = u.JobTitle,
        Department = u.Department,
        CompanyName = u.CompanyName,
        OfficeLocation = u.OfficeLocation,
        MobilePhone = u.MobilePhone,
        BusinessPhones = u.BusinessPhones ?? [],
        StreetAddress = u.StreetAddress,
        City = u.City,
        State = u.State,
        PostalCode = u.PostalCode,
        Country = u.Country,
        UsageLocation = u.UsageLocation,
        PreferredLanguage = u.PreferredLanguage,
        MailNickname = u.MailNickname,
        ProxyAddresses = u.ProxyAddresses ?? [],
        OtherMails = u.OtherMails ?? [],
        AssignedSkuIds = [.. (u.AssignedLicenses ?? []).Where(l => l.SkuId is not null).Select(l => l.SkuId!.Value)],
        OnPremisesSyncEnabled = u.OnPremisesSyncEnabled ?? false,
        OnPremisesImmutableId = u.OnPremisesImmutableId,
        OnPremisesLastSyncDateTime = u.OnPremisesLastSyncDateTime,
        CreatedDateTime = u.CreatedDateTime,
        PasswordPolicies = u.PasswordPolicies,
    };
}
