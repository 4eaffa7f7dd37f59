using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Graph;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator;

/// <summary>
/// In-process access to one tenant's data, for test assertions and set-up. Everything returned is a copy in Graph's
/// JSON shape (users carry every stored property, not only the default ones).
/// </summary>
public sealed class EmulatedTenant
{
    private readonly Lazy<TenantData> data;

    internal EmulatedTenant(EmulatedTenantInfo info, Lazy<TenantData> data)
    {
        Info = info;
        this.data = data;
    }

    public EmulatedTenantInfo Info { get; }

    public string TenantId => Info.TenantId;

    internal TenantData Data => data.Value;

    /// <summary>The realism currently in force (a copy).</summary>
    public RealismSettings Realism
    {
        get
        {
            lock (Data.Gate)
            {
                return Data.Realism.Copy();
            }
        }
    }

    /// <summary>Switches realism at run time; the write budget starts full again.</summary>
    public void SetRealism(RealismSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Data.SetRealism(settings.Copy());
    }

    public int UserCount
    {
        get
        {
            lock (Data.Gate)
            {
                return Data.Users.Count;
            }
        }
    }

    /// <summary>A user by id or UPN, whether or not it has finished replicating; null when there is none.</summary>
    public JsonObject? FindUser(string idOrUpn)
    {
        lock (Data.Gate)
        {
            return Data.FindUser(idOrUpn)?.Data.DeepClone().AsObject();
        }
    }

    /// <summary>Every live user, in creation order.</summary>
    public IReadOnlyList<JsonObject> Users()
    {
        lock (Data.Gate)
        {
            return [.. Data.Users.Select(u => u.Data.DeepClone().AsObject())];
        }
    }

    /// <summary>True when a deleted user with this id sits in the recycle bin.</summary>
    public bool IsDeleted(string userId)
    {
        lock (Data.Gate)
        {
            return Data.DeletedUsers.ContainsKey(userId);
        }
    }

    /// <summary>The manager's object id, or null.</summary>
    public string? ManagerIdOf(string userIdOrUpn)
    {
        lock (Data.Gate)
        {
            return Data.FindUser(userIdOrUpn)?.ManagerId;
        }
    }

    /// <summary>A group by id or display name (first match).</summary>
    public JsonObject? FindGroup(string idOrDisplayName)
    {
        lock (Data.Gate)
        {
            var group = Data.GroupsById.GetValueOrDefault(idOrDisplayName)
                ?? Data.Groups.FirstOrDefault(g => string.Equals((string?)g.Data["displayName"], idOrDisplayName, StringComparison.OrdinalIgnoreCase));
            return group?.Data.DeepClone().AsObject();
        }
    }

    public IReadOnlyList<JsonObject> Groups()
    {
        lock (Data.Gate)
        {
            return [.. Data.Groups.Select(g => g.Data.DeepClone().AsObject())];
        }
    }

    /// <summary>Object ids of a group's direct members.</summary>
    public IReadOnlyCollection<string> GroupMemberIds(string groupId)
    {
        lock (Data.Gate)
        {
            return Data.GroupsById.TryGetValue(groupId, out var group) ? [.. group.Members] : [];
        }
    }

    /// <summary>The tenant's subscriptions in Graph's subscribedSku shape.</summary>
    public IReadOnlyList<JsonObject> SubscribedSkus()
    {
        lock (Data.Gate)
        {
            return [.. Data.Skus.Select(s => GraphShapes.Sku(Data, s))];
        }
    }

    /// <summary>Ids of the authentication methods the user has, as Graph lists them.</summary>
    public IReadOnlyList<JsonObject> AuthenticationMethods(string userIdOrUpn)
    {
        lock (Data.Gate)
        {
            return Data.FindUser(userIdOrUpn) is { } user ? [.. user.AuthenticationMethods.Select(m => m.DeepClone().AsObject())] : [];
        }
    }

    /// <summary>When the user's sign-in sessions were last revoked through Graph, if ever.</summary>
    public DateTimeOffset? SessionsRevokedAt(string userIdOrUpn)
    {
        lock (Data.Gate)
        {
            return Data.FindUser(userIdOrUpn)?.SessionsRevokedAt;
        }
    }

    /// <summary>When the user's password was last set through Graph (the password itself is never stored).</summary>
    public DateTimeOffset? PasswordChangedAt(string userIdOrUpn)
    {
        lock (Data.Gate)
        {
            return Data.FindUser(userIdOrUpn)?.PasswordChangedAt;
        }
    }
}
