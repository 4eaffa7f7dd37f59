using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace CippUsers.Graph;

/// <summary>
/// Reads every user of a tenant with every property the v1.0 user list can return, page by page: each page is handed
/// to the caller and released before the next is fetched, so a 20,000-user tenant never sits in memory. Needs
/// User.Read.All (and AuditLog.Read.All plus Entra ID P1/P2 for signInActivity, which is left out when refused).
/// </summary>
public sealed class UserExport
{
    /// <summary>Page size without signInActivity (Graph's maximum).</summary>
    public const int PageSize = 999;

    /// <summary>Page size with signInActivity selected (Graph's maximum for it).</summary>
    public const int PageSizeWithSignIns = 500;

    /// <summary>The v1.0 user properties a list can return, in CSV column order. Left out: the single-object-only ones
    /// (aboutMe, birthday, hireDate, interests, mailboxSettings, mySite, pastProjects, preferredName, responsibilities,
    /// schools, skills: /users answers 501), customSecurityAttributes and employeeLeaveDateTime (each needs its own
    /// permission beyond User.Read.All), and signInActivity, added separately (<see cref="SignInActivity"/>).</summary>
    public static readonly IReadOnlyList<string> Properties =
    [
        "id", "userPrincipalName", "displayName", "givenName", "surname", "mail", "mailNickname", "accountEnabled", "userType", "jobTitle",
        "department", "companyName", "officeLocation", "employeeId", "employeeType", "employeeHireDate", "employeeOrgData",
        "businessPhones", "mobilePhone", "faxNumber", "streetAddress", "city", "state", "postalCode", "country", "usageLocation",
        "preferredLanguage", "preferredDataLocation", "otherMails", "proxyAddresses", "imAddresses", "identities", "createdDateTime",
        "creationType", "deletedDateTime", "externalUserState", "externalUserStateChangeDateTime", "ageGroup", "consentProvidedForMinor",
        "legalAgeGroupClassification", "showInAddressList", "isResourceAccount", "passwordPolicies", "passwordProfile",
        "lastPasswordChangeDateTime", "signInSessionsValidFromDateTime", "securityIdentifier", "authorizationInfo", "assignedLicenses",
        "assignedPlans", "licenseAssignmentStates", "provisionedPlans", "serviceProvisioningErrors", "onPremisesSyncEnabled",
        "onPremisesImmutableId", "onPremisesLastSyncDateTime", "onPremisesDistinguishedName", "onPremisesDomainName",
        "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesUserPrincipalName", "onPremisesExtensionAttributes",
        "onPremisesProvisioningErrors",
    ];

    public const string SignInActivity = "signInActivity";

    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new()
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    private readonly GraphCalls calls;
    private readonly LicenseOperations licenses;
    private readonly ILogger<UserExport> log;

    internal UserExport(GraphCalls calls, LicenseOperations licenses, ILogger<UserExport> log)
    {
        this.calls = calls;
        this.licenses = licenses;
        this.log = log;
    }

    /// <summary>
    /// Reads all users, calling <paramref name="onPage"/> once per Graph page (in order). The page's JSON is only valid
    /// during the call. With <paramref name="includeSignInActivity"/> the first page asks for signInActivity (500 a
    /// page); if the tenant refuses it (no premium licence or no AuditLog.Read.All), the export continues without it.
    /// </summary>
    public async Task<GraphResult<UserExportSummary>> ExportAsync(
        string tenantId, bool includeSignInActivity, Func<UserExportPage, CancellationToken, ValueTask> onPage, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(onPage);
        var skus = await licenses.ListSkusAsync(tenantId, ct);
        var skuNames = skus.Succeeded ? skus.Value!.ToDictionary(s => s.SkuId, s => s.SkuPartNumber) : [];
        var withSignIns = includeSignInActivity;
        string? next = null;
        var pages = 0;
        var users = 0L;
        var largest = 0;
        while (true)
        {
            var columns = withSignIns ? [.. Properties, SignInActivity] : Properties;
            var url = next;
            var result = await calls.RunAsync(tenantId, async (client, t) =>
            {
                var request = url is null
                    ? client.Users.ToGetRequestInformation(r =>
                    {
                        r.QueryParameters.Select = [.. columns];
                        r.QueryParameters.Top = withSignIns ? PageSizeWithSignIns : PageSize;
                    })
                    : new RequestInformation { HttpMethod = Method.GET, URI = new Uri(url) };
                request.Headers.TryAdd("Accept", "application/json");
                var stream = await client.RequestAdapter.SendPrimitiveAsync<Stream>(request, ErrorMapping, t)
                    ?? throw new InvalidOperationException("Graph answered the user list with an empty body.");
                await using (stream)
                {
                    return await JsonDocument.ParseAsync(stream, cancellationToken: t);
                }
            }, ct);

            if (!result.Succeeded)
            {
                if (pages == 0 && withSignIns && result.Failure.Kind is GraphFailureKind.Forbidden or GraphFailureKind.BadRequest)
                {
                    log.LogInformation("signInActivity refused in {TenantId} ({Code}); exporting without it", tenantId, result.Failure.Code);
                    withSignIns = false;
                    continue;
                }

                return result.Failure;
            }

            using var document = result.Value!;
            var value = document.RootElement.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Array ? v : default;
            var count = value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : 0;
            pages++;
            users += count;
            largest = Math.Max(largest, count);
            await onPage(new UserExportPage(pages, columns, value, count, skuNames), ct);
            next = document.RootElement.TryGetProperty("@odata.nextLink", out var link) && link.ValueKind == JsonValueKind.String ? link.GetString() : null;
            if (string.IsNullOrEmpty(next))
            {
                break;
            }
        }

        log.LogInformation("Exported {Users} users of {TenantId} in {Pages} pages", users, tenantId, pages);
        return GraphResult<UserExportSummary>.Ok(new UserExportSummary(users, pages, largest, withSignIns));
    }
}

/// <summary>One Graph page of the export. <see cref="Users"/> is a JSON array of user objects, valid only during the
/// callback.</summary>
/// <param name="Number">1-based page number.</param>
/// <param name="Columns">The properties selected (<see cref="UserExport.Properties"/>, plus signInActivity when allowed).</param>
/// <param name="Users">The page's users (JSON array).</param>
/// <param name="Count">Users on this page.</param>
/// <param name="SkuPartNumbers">The tenant's SKU ids → part numbers (empty if they could not be read).</param>
public sealed record UserExportPage(int Number, IReadOnlyList<string> Columns, JsonElement Users, int Count, IReadOnlyDictionary<Guid, string> SkuPartNumbers);

/// <summary>What an export read.</summary>
/// <param name="Users">Users exported.</param>
/// <param name="Pages">Graph pages read.</param>
/// <param name="LargestPage">Most users held at once (one page).</param>
/// <param name="IncludesSignInActivity">False when the tenant refused signInActivity.</param>
public sealed record UserExportSummary(long Users, int Pages, int LargestPage, bool IncludesSignInActivity);
