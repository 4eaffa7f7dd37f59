namespace CippUsers.Graph;

/// <summary>A user to create. The password is sent to Graph and never logged or kept.</summary>
public sealed record NewUser(string DisplayName, string UserPrincipalName, string Password)
{
    /// <summary>Alias; defaults to the part of the UPN before '@'.</summary>
    public string? MailNickname { get; init; }
    public bool AccountEnabled { get; init; } = true;
    public bool ForceChangePasswordNextSignIn { get; init; } = true;
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
    /// <summary>ISO 3166 alpha-2; needed before licences can be assigned.</summary>
    public string? UsageLocation { get; init; }
    public IReadOnlyList<string> OtherMails { get; init; } = [];

    /// <summary>Never print the password.</summary>
    public override string ToString() => $"NewUser {{ DisplayName = {DisplayName}, UserPrincipalName = {UserPrincipalName} }}";
}
