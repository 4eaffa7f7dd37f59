using System.Globalization;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// A column of the users table: a Graph user property and how to show it.
internal sealed record UserColumn(string Property, string Title, Func<TenantUser, IReadOnlyDictionary<Guid, string>, string> Value);

/// The columns a tech can pick (Graph user properties the list reads with $select).
internal static class UserColumns
{
    public const int MaxShown = 5;

    public static IReadOnlyList<UserColumn> All { get; } =
    [
        new("displayName", "Display name", (u, _) => u.DisplayName),
        new("userPrincipalName", "UPN", (u, _) => u.UserPrincipalName),
        new("accountEnabled", "Enabled", (u, _) => u.AccountEnabled ? "Yes" : "No"),
        new("assignedLicenses", "Licenses", (u, skus) => Licenses(u, skus)),
        new("userType", "Type", (u, _) => u.UserType ?? "Member"),
        new("mail", "Mail", (u, _) => u.Mail ?? ""),
        new("jobTitle", "Job title", (u, _) => u.JobTitle ?? ""),
        new("department", "Department", (u, _) => u.Department ?? ""),
        new("companyName", "Company", (u, _) => u.CompanyName ?? ""),
        new("officeLocation", "Office", (u, _) => u.OfficeLocation ?? ""),
        new("city", "City", (u, _) => u.City ?? ""),
        new("country", "Country", (u, _) => u.Country ?? ""),
        new("usageLocation", "Usage location", (u, _) => u.UsageLocation ?? ""),
        new("mobilePhone", "Mobile", (u, _) => u.MobilePhone ?? ""),
        new("onPremisesSyncEnabled", "Synced", (u, _) => u.OnPremisesSyncEnabled ? "AD synced" : "Cloud"),
        new("createdDateTime", "Created", (u, _) => u.CreatedDateTime?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? ""),
    ];

    public static IReadOnlyList<string> Default { get; } = ["displayName", "userPrincipalName", "accountEnabled", "assignedLicenses", "userType"];

    /// Known property names only, in the table's order, at most <see cref="MaxShown"/>; nothing valid gives the default.
    public static IReadOnlyList<string> Parse(string? commaSeparated)
    {
        var wanted = (commaSeparated ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var picked = All.Where(c => wanted.Contains(c.Property, StringComparer.OrdinalIgnoreCase)).Select(c => c.Property).Take(MaxShown).ToList();
        return picked.Count == 0 ? Default : picked;
    }

    public static UserColumn Of(string property) => All.First(c => c.Property == property);

    public static string Licenses(TenantUser user, IReadOnlyDictionary<Guid, string> skuNames)
        => user.AssignedSkuIds.Count == 0
            ? "Unlicensed"
            : string.Join(", ", user.AssignedSkuIds.Select(id => skuNames.TryGetValue(id, out var name) ? name : id.ToString()));
}
