using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Realism;

namespace CippUsers.TenantEmulator.State;

/// <summary>All data of one tenant. Every read and write happens under <see cref="Gate"/>.</summary>
internal sealed class TenantData(EmulatedTenantInfo info, RealismSettings realism)
{
    public EmulatedTenantInfo Info { get; } = info;

    public Lock Gate { get; } = new();

    public Dictionary<string, DirectoryUser> UsersById { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, DirectoryUser> UsersByUpn { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Users in creation order (the order lists come back in).</summary>
    public List<DirectoryUser> Users { get; } = [];

    /// <summary>Soft-deleted users by id; they still hold their UPN.</summary>
    public Dictionary<string, DirectoryUser> DeletedUsers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, DirectoryGroup> GroupsById { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<DirectoryGroup> Groups { get; } = [];

    public List<DirectoryRole> Roles { get; } = [];

    public List<TenantSku> Skus { get; } = [];

    public List<TenantDomain> Domains { get; } = [];

    public JsonObject Organization { get; set; } = [];

    /// <summary>Exchange Online's side of users' mailboxes, by user object id (see Exchange/Mailboxes for who has one).</summary>
    public Dictionary<string, Exchange.MailboxState> Mailboxes { get; } = new(StringComparer.OrdinalIgnoreCase);

    public RealismSettings Realism { get; private set; } = realism;

    private readonly Dictionary<string, WriteBucket> buckets = new(StringComparer.OrdinalIgnoreCase);

    public void SetRealism(RealismSettings settings)
    {
        lock (Gate)
        {
            Realism = settings;
            buckets.Clear();
        }
    }

    public bool TryTakeWrite(string appId, DateTimeOffset now, out TimeSpan retryAfter, out double usage)
    {
        lock (Gate)
        {
            if (!Realism.ThrottlingEnabled)
            {
                retryAfter = TimeSpan.Zero;
                usage = 0;
                return true;
            }

            if (!buckets.TryGetValue(appId, out var bucket))
            {
                bucket = new WriteBucket(Realism.WriteBudget, Realism.WriteBudgetWindow, now);
                buckets[appId] = bucket;
            }

            return bucket.TryTake(now, out retryAfter, out usage);
        }
    }

    public void AddUser(DirectoryUser user)
    {
        UsersById[user.Id] = user;
        UsersByUpn[user.UserPrincipalName] = user;
        Users.Add(user);
    }

    public void RemoveUser(DirectoryUser user)
    {
        UsersById.Remove(user.Id);
        UsersByUpn.Remove(user.UserPrincipalName);
        Users.Remove(user);
    }

    public void AddGroup(DirectoryGroup group)
    {
        GroupsById[group.Id] = group;
        Groups.Add(group);
    }

    /// <summary>Finds a live user by id or UPN; <paramref name="now"/> hides users still replicating.</summary>
    public DirectoryUser? FindUser(string idOrUpn, DateTimeOffset? now = null)
    {
        var user = UsersById.GetValueOrDefault(idOrUpn) ?? UsersByUpn.GetValueOrDefault(idOrUpn);
        return user is not null && now is { } at && user.VisibleAt > at ? null : user;
    }
}
