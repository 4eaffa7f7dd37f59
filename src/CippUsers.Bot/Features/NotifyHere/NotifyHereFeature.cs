using CippUsers.Bot.Access;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Teams;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.NotifyHere;

/// `notify here [tenant|all]` in a channel makes it the helpdesk channel (results and approval requests of that tenant,
/// or of every tenant without its own channel, are posted there); `notify off [tenant|all]` stops it. Admins only.
internal sealed class NotifyHereFeature(ConversationStore conversations, AccessPolicy policy, CustomerTenants tenants) : IFeature
{
    public void Map(BotRoutes routes)
    {
        routes.Command("notify here", "Post results and approvals for a tenant (or all) in this channel", "notify here contoso", HereAsync);
        routes.Command("notify off", "Stop posting a tenant's (or all) results in its helpdesk channel", "notify off contoso", OffAsync);
    }

    private async Task HereAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        if (turn.Conversation.Kind != ConversationKind.Channel)
        {
            await turn.SendTextAsync("Run `notify here` in the Teams channel that should receive the notifications.", ct);
            return;
        }

        var (key, name, error) = Resolve(turn.Caller, arguments);
        if (error is not null)
        {
            await turn.SendTextAsync(error, ct);
            return;
        }

        await conversations.SetHelpdeskChannelAsync(key, turn.Conversation, ct);
        await turn.SendTextAsync($"This channel is now the helpdesk channel for {name}: results and approval requests are posted here.", ct);
    }

    private async Task OffAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        var (key, name, error) = Resolve(turn.Caller, arguments);
        if (error is not null)
        {
            await turn.SendTextAsync(error, ct);
            return;
        }

        var removed = await conversations.RemoveHelpdeskChannelAsync(key, ct);
        await turn.SendTextAsync(removed ? $"Stopped notifications for {name}." : $"{name} had no helpdesk channel.", ct);
    }

    private (string Key, string Name, string? Error) Resolve(Caller caller, string arguments)
    {
        var access = policy.For(caller.AadObjectId);
        var text = arguments.Trim();
        if (text.Length == 0 || string.Equals(text, "all", StringComparison.OrdinalIgnoreCase) || text == "*")
        {
            var allowed = tenants.All.All(t => access.Has(Role.Admin, new TenantRef(t.TenantId, t.DefaultDomain, t.DisplayName)));
            return allowed
                ? (ConversationStore.AllTenants, "all tenants", null)
                : ("", "", "Only an admin for every tenant can set the helpdesk channel for all tenants.");
        }

        var tenant = tenants.Find(text);
        if (tenant is null)
        {
            return ("", "", $"I don't know the tenant “{text}”.");
        }

        return access.Has(Role.Admin, new TenantRef(tenant.TenantId, tenant.DefaultDomain, tenant.DisplayName))
            ? (tenant.TenantId, tenant.DisplayName, null)
            : ("", "", $"Only an admin for {tenant.DisplayName} can set its helpdesk channel.");
    }
}
