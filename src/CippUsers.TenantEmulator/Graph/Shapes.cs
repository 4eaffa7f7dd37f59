using CippUsers.TenantEmulator.Graph.Query;
using CippUsers.TenantEmulator.Graph.Users;

namespace CippUsers.TenantEmulator.Graph;

/// <summary>Which properties each resource can select, filter and sort on.</summary>
internal static class Shapes
{
    private static readonly StringComparer Exact = StringComparer.Ordinal;

    public static readonly CollectionShape User = new(
        "User",
        "microsoft.graph.user",
        new HashSet<string>(Exact)
        {
            "id", "displayName", "givenName", "surname", "userPrincipalName", "mail", "mailNickname", "jobTitle", "department", "accountEnabled",
            "userType", "usageLocation", "onPremisesSyncEnabled", "onPremisesImmutableId", "createdDateTime", "employeeId", "city", "country",
            "companyName", "officeLocation", "proxyAddresses", "otherMails", "assignedLicenses", "externalUserState", "state", "creationType",
            "onPremisesSamAccountName", "mobilePhone", "businessPhones", "preferredLanguage", "employeeType",
        },
        new HashSet<string>(Exact) { "displayName", "userPrincipalName" },
        new HashSet<string>(UserFactory.NewUser("", "", "", "", true).Select(p => p.Key).Concat(["passwordProfile", "signInActivity", "manager", .. UserFactory.SingleObjectOnly]), Exact),
        UserFactory.DefaultProperties,
        UserFactory.SingleObjectOnly);

    public static readonly CollectionShape Group = new(
        "Group",
        "microsoft.graph.group",
        new HashSet<string>(Exact) { "id", "displayName", "mail", "mailEnabled", "securityEnabled", "groupTypes", "mailNickname", "onPremisesSyncEnabled", "createdDateTime", "proxyAddresses", "membershipRuleProcessingState" },
        new HashSet<string>(Exact) { "displayName" },
        new HashSet<string>(
            [
                "id", "deletedDateTime", "classification", "createdDateTime", "description", "displayName", "groupTypes", "mail", "mailEnabled",
                "mailNickname", "membershipRule", "membershipRuleProcessingState", "onPremisesLastSyncDateTime", "onPremisesSecurityIdentifier",
                "onPremisesSyncEnabled", "proxyAddresses", "renewedDateTime", "securityEnabled", "securityIdentifier", "visibility", "roleTemplateId",
            ],
            Exact),
        null);

    public static readonly CollectionShape Domain = new(
        "Domain",
        "microsoft.graph.domain",
        new HashSet<string>(Exact) { "id", "isDefault", "isInitial", "isVerified", "authenticationType" },
        new HashSet<string>(Exact) { "id" },
        new HashSet<string>(
            ["authenticationType", "availabilityStatus", "id", "isAdminManaged", "isDefault", "isInitial", "isRoot", "isVerified", "passwordNotificationWindowInDays", "passwordValidityPeriodInDays", "supportedServices", "state"],
            Exact),
        null);

    public static readonly CollectionShape Sku = new(
        "SubscribedSku",
        "microsoft.graph.subscribedSku",
        new HashSet<string>(Exact),
        new HashSet<string>(Exact),
        new HashSet<string>(["accountName", "accountId", "appliesTo", "capabilityStatus", "consumedUnits", "id", "skuId", "skuPartNumber", "subscriptionIds", "prepaidUnits", "servicePlans"], Exact),
        null);

    public static readonly CollectionShape LicenseDetail = new(
        "LicenseDetails",
        "microsoft.graph.licenseDetails",
        new HashSet<string>(Exact),
        new HashSet<string>(Exact),
        new HashSet<string>(["id", "skuId", "skuPartNumber", "servicePlans"], Exact),
        null);

    public static readonly CollectionShape Organization = new(
        "Organization",
        "microsoft.graph.organization",
        new HashSet<string>(Exact),
        new HashSet<string>(Exact),
        new HashSet<string>(
            [
                "id", "deletedDateTime", "businessPhones", "city", "country", "countryLetterCode", "createdDateTime", "defaultUsageLocation", "displayName",
                "marketingNotificationEmails", "onPremisesLastSyncDateTime", "onPremisesSyncEnabled", "postalCode", "preferredLanguage", "state", "street",
                "tenantType", "technicalNotificationMails", "assignedPlans", "verifiedDomains",
            ],
            Exact),
        null);

    public static readonly CollectionShape AuthenticationMethod = new(
        "AuthenticationMethod",
        "microsoft.graph.authenticationMethod",
        new HashSet<string>(Exact),
        new HashSet<string>(Exact),
        new HashSet<string>(["id"], Exact),
        null);
}
