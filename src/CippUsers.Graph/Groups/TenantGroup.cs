using Microsoft.Graph.Models;

namespace CippUsers.Graph;

/// <summary>What kind of group, by Graph's groupTypes/mailEnabled/securityEnabled.</summary>
public enum GroupKind
{
    Security,
    Microsoft365,
    MailEnabledSecurity,
    Distribution,
}

/// <summary>A group of a tenant.</summary>
public sealed record TenantGroup(string Id, string DisplayName, string? Mail, GroupKind Kind, bool IsDynamic, bool IsSynced)
{
    public string? Visibility { get; init; }

    /// <summary>Why Graph can't change this group's members, or null when it can.</summary>
    public string? WhyMembershipIsReadOnly => this switch
    {
        { IsDynamic: true } => $"'{DisplayName}' is a dynamic group: its members come from its membership rule and cannot be added or removed by hand.",
        { IsSynced: true } => $"'{DisplayName}' is synced from on-premises Active Directory: change its members in the local AD.",
        { Kind: GroupKind.MailEnabledSecurity } => $"'{DisplayName}' is a mail-enabled security group: its members are managed in Exchange Online, not through Graph.",
        { Kind: GroupKind.Distribution } => $"'{DisplayName}' is a distribution list: its members are managed in Exchange Online, not through Graph.",
        _ => null,
    };

    internal static readonly string[] Select = ["id", "displayName", "mail", "groupTypes", "mailEnabled", "securityEnabled", "onPremisesSyncEnabled", "visibility"];

    internal static TenantGroup From(Group g)
    {
        var types = g.GroupTypes ?? [];
        var unified = types.Contains("Unified", StringComparer.OrdinalIgnoreCase);
        var kind = unified ? GroupKind.Microsoft365
            : g.MailEnabled == true ? (g.SecurityEnabled == true ? GroupKind.MailEnabledSecurity : GroupKind.Distribution)
            : GroupKind.Security;
        return new TenantGroup(g.Id ?? "", g.DisplayName ?? "", g.Mail, kind,
            types.Contains("DynamicMembership", StringComparer.OrdinalIgnoreCase), g.OnPremisesSyncEnabled == true)
        {
            Visibility = g.Visibility,
        };
    }
}
