namespace CippUsers.Bot.Features.Imports;

/// Header names of the accepted CSV templates, mapped to the import's field names. Headers match case-insensitively
/// and ignore spaces and punctuation; the Entra templates' "Label [property] Required" headers match by the bracketed
/// property.
internal static class ImportColumns
{
    // Canonical field names (also the keys of a stored row).
    public const string DisplayName = "displayName";
    public const string GivenName = "givenName";
    public const string Surname = "surname";
    public const string Username = "username";
    public const string UserPrincipalName = "userPrincipalName";
    public const string Domain = "domain";
    public const string Password = "password";
    public const string BlockSignIn = "blockSignIn";
    public const string UsageLocation = "usageLocation";
    public const string JobTitle = "jobTitle";
    public const string Department = "department";
    public const string CompanyName = "companyName";
    public const string OfficeLocation = "officeLocation";
    public const string StreetAddress = "streetAddress";
    public const string City = "city";
    public const string State = "state";
    public const string PostalCode = "postalCode";
    public const string Country = "country";
    public const string MobilePhone = "mobilePhone";
    public const string BusinessPhone = "businessPhones";
    public const string OtherMails = "otherMails";
    public const string Licenses = "licenses";
    public const string Groups = "groups";
    public const string Manager = "manager";
    public const string Mail = "mail";
    public const string RedirectUri = "redirectUri";
    public const string Message = "message";
    public const string SendEmail = "sendEmail";

    /// Users: CIPP's template (givenName,surName,displayName,mailNickName,domain,JobTitle,…), the Microsoft 365 admin center
    /// "Add multiple users" template (User Name,First Name,…,Country or Region), Entra bulk create ([displayName],
    /// [userPrincipalName],[passwordProfile],[accountEnabled] "Block sign in",…) and the optional extra columns.
    public static readonly IReadOnlyDictionary<string, string> Users = Map(new()
    {
        [DisplayName] = ["displayName", "Display Name", "name"],
        [GivenName] = ["givenName", "First Name"],
        [Surname] = ["surName", "Last Name"],
        [Username] = ["mailNickName", "alias", "username"],
        [UserPrincipalName] = ["userPrincipalName", "upn", "User Name"],
        [Domain] = ["domain", "primDomain"],
        [Password] = ["password", "passwordProfile", "Initial password"],
        [BlockSignIn] = ["Block sign in", "Block sign in (Yes/No)"],
        [UsageLocation] = ["usageLocation"],
        [JobTitle] = ["JobTitle", "title"],
        [Department] = ["Department"],
        [CompanyName] = ["companyName", "company"],
        [OfficeLocation] = ["officeLocation", "Office Number", "office", "physicalDeliveryOfficeName"],
        [StreetAddress] = ["streetAddress", "Address"],
        [City] = ["City"],
        [State] = ["State", "State or Province"],
        [PostalCode] = ["PostalCode", "ZIP or Postal Code", "zip"],
        [Country] = ["country", "Country or Region"],
        [MobilePhone] = ["MobilePhone", "mobile"],
        [BusinessPhone] = ["businessPhones", "businessPhone", "Office Phone", "telephoneNumber"],
        [OtherMails] = ["otherMails", "Alternate email address"],
        [Licenses] = ["licenses", "license", "licences"],
        [Groups] = ["groups", "group"],
        [Manager] = ["manager"],
    });

    /// Guests: CIPP's displayName,mail,redirectUri and the Entra bulk-invite template ([inviteeEmail],[inviteRedirectURL],
    /// [sendEmail],[customizedMessageBody]).
    public static readonly IReadOnlyDictionary<string, string> Guests = Map(new()
    {
        [DisplayName] = ["displayName", "name"],
        [Mail] = ["mail", "email", "emailAddress", "inviteeEmail", "Email address to invite", "invitedUserEmailAddress"],
        [RedirectUri] = ["redirectUri", "redirectUrl", "inviteRedirectURL", "Redirection url"],
        [SendEmail] = ["sendEmail", "Send invitation message", "Send invitation message (true or false)"],
        [Message] = ["message", "customizedMessageBody", "Customized invitation message"],
    });

    /// Normalises a header: the bracketed property of an Entra header ("Name [displayName] Required" → displayname),
    /// else the text lower-cased without spaces and punctuation.
    public static string Normalize(string header)
    {
        var text = header.Trim().TrimStart('\uFEFF');
        var open = text.IndexOf('[', StringComparison.Ordinal);
        var close = open >= 0 ? text.IndexOf(']', open + 1) : -1;
        // Entra's "Block sign in (Yes/No) [accountEnabled]" holds the opposite of accountEnabled: keep its label.
        if (open > 0 && close > open && !text.StartsWith("Block sign in", StringComparison.OrdinalIgnoreCase))
            text = text[(open + 1)..close];
        else if (open > 0)
            text = text[..open];
        return new string([.. text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
    }

    private static Dictionary<string, string> Map(Dictionary<string, string[]> byField)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, headers) in byField)
        {
            foreach (var header in headers)
                map[Normalize(header)] = field;
        }
        return map;
    }
}
