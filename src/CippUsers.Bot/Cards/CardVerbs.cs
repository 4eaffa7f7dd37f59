namespace CippUsers.Bot.Cards;

/// <summary>Every card verb, in one place, dotted by feature. Features add their own constants here.</summary>
public static class CardVerbs
{
    public const string HelpShow = "help.show";
    public const string TenantsShow = "tenants.show";

    /// <summary>Opens the Add User card; data: {"tenantId": "..."}.</summary>
    public const string AddUserOpen = "adduser.open";
}
