using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Graph.Users;

/// <summary>A new user's stored JSON with every property the emulator keeps, defaults filled in.</summary>
internal static class UserFactory
{
    /// <summary>Properties Graph returns when no $select is sent.</summary>
    public static readonly string[] DefaultProperties = ["businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName"];

    /// <summary>Properties that only a single-user GET may select; on /users they give 501.</summary>
    public static readonly HashSet<string> SingleObjectOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "aboutMe", "birthday", "hireDate", "interests", "mySite", "pastProjects", "preferredName", "responsibilities", "schools", "skills", "mailboxSettings",
    };

    /// <summary>Properties a client may write with POST or PATCH.</summary>
    public static readonly HashSet<string> Writable = new(StringComparer.Ordinal)
    {
        "accountEnabled", "ageGroup", "businessPhones", "city", "companyName", "country", "department", "displayName", "employeeId",
        "givenName", "jobTitle", "mail", "mailNickname", "mobilePhone", "officeLocation", "onPremisesImmutableId", "otherMails",
        "passwordPolicies", "passwordProfile", "postalCode", "preferredLanguage", "showInAddressList", "state", "streetAddress",
        "surname", "usageLocation", "userPrincipalName", "userType", "employeeType", "faxNumber",
    };

    public static JsonObject NewUser(string id, string displayName, string upn, string nickname, bool accountEnabled) => new()
    {
        ["id"] = id,
        ["businessPhones"] = new JsonArray(),
        ["displayName"] = displayName,
        ["givenName"] = null,
        ["jobTitle"] = null,
        ["mail"] = null,
        ["mobilePhone"] = null,
        ["officeLocation"] = null,
        ["preferredLanguage"] = null,
        ["surname"] = null,
        ["userPrincipalName"] = upn,
        ["accountEnabled"] = accountEnabled,
        ["ageGroup"] = null,
        ["assignedLicenses"] = new JsonArray(),
        ["city"] = null,
        ["companyName"] = null,
        ["country"] = null,
        ["createdDateTime"] = null,
        ["creationType"] = null,
        ["department"] = null,
        ["employeeId"] = null,
        ["employeeType"] = null,
        ["externalUserState"] = null,
        ["faxNumber"] = null,
        ["mailNickname"] = nickname,
        ["onPremisesDistinguishedName"] = null,
        ["onPremisesImmutableId"] = null,
        ["onPremisesLastSyncDateTime"] = null,
        ["onPremisesSamAccountName"] = null,
        ["onPremisesSyncEnabled"] = null,
        ["otherMails"] = new JsonArray(),
        ["passwordPolicies"] = null,
        ["postalCode"] = null,
        ["proxyAddresses"] = new JsonArray(),
        ["showInAddressList"] = null,
        ["state"] = null,
        ["streetAddress"] = null,
        ["usageLocation"] = null,
        ["userType"] = "Member",
        // The rest of the v1.0 user properties a list can select (the bot's export reads them all).
        ["assignedPlans"] = new JsonArray(),
        ["authorizationInfo"] = new JsonObject { ["certificateUserIds"] = new JsonArray() },
        ["consentProvidedForMinor"] = null,
        ["deletedDateTime"] = null,
        ["employeeHireDate"] = null,
        ["employeeOrgData"] = null,
        ["externalUserStateChangeDateTime"] = null,
        ["identities"] = new JsonArray(new JsonObject { ["signInType"] = "userPrincipalName", ["issuer"] = upn.Contains('@', StringComparison.Ordinal) ? upn[(upn.IndexOf('@', StringComparison.Ordinal) + 1)..] : null, ["issuerAssignedId"] = upn }),
        ["imAddresses"] = new JsonArray(),
        ["isResourceAccount"] = null,
        ["lastPasswordChangeDateTime"] = null,
        ["legalAgeGroupClassification"] = null,
        ["licenseAssignmentStates"] = new JsonArray(),
        ["onPremisesDomainName"] = null,
        ["onPremisesExtensionAttributes"] = ExtensionAttributes(),
        ["onPremisesProvisioningErrors"] = new JsonArray(),
        ["onPremisesSecurityIdentifier"] = null,
        ["onPremisesUserPrincipalName"] = null,
        ["preferredDataLocation"] = null,
        ["provisionedPlans"] = new JsonArray(),
        ["securityIdentifier"] = null,
        ["serviceProvisioningErrors"] = new JsonArray(),
        ["signInSessionsValidFromDateTime"] = null,
    };

    private static JsonObject ExtensionAttributes()
    {
        var attributes = new JsonObject();
        for (var i = 1; i <= 15; i++)
        {
            attributes[$"extensionAttribute{i}"] = null;
        }

        return attributes;
    }
}
