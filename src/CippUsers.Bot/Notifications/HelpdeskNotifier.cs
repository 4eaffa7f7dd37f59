using CippUsers.Bot.Catalog;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Conversations;

namespace CippUsers.Bot.Notifications;

/// Posts the results of actions to the tenant's helpdesk channel (set with `notify here`), unless that channel is where
/// the request or the approval already shows them.
internal sealed class HelpdeskNotifier(ConversationStore conversations, ProactiveMessenger messenger, ILogger<HelpdeskNotifier> log)
{
    public async Task PostResultAsync(PendingOperation op, ActionDescriptor action, CancellationToken ct)
    {
        var channel = await conversations.GetHelpdeskChannelAsync(op.TenantId, ct);
        if (channel is null
            || channel.ConversationId == op.RequestConversation?.ConversationId
            || channel.ConversationId == op.ApprovalConversation?.ConversationId)
        {
            return;
        }

        try
        {
            await messenger.SendCardAsync(channel, OperationCards.Status(action, op), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not post the result of operation {OperationId} to the helpdesk channel", op.Id);
        }
    }
}
