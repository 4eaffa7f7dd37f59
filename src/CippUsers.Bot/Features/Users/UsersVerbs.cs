namespace CippUsers.Bot.Features.Users;

/// The card verbs of the users table. Card data carries only a list-session id, a tenant id and user ids; the server
/// re-checks the caller's access and re-reads the users before anything is shown or started.
internal static class UsersVerbs
{
    public const string Page = "users.page";
    public const string Apply = "users.apply";
    public const string Open = "users.open";
    public const string Act = "users.act";
    public const string Bulk = "users.bulk";
}
