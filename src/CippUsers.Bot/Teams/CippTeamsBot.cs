using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Teams;
using Microsoft.Bot.Schema;

namespace CippUsers.Bot.Teams;

internal sealed class CippTeamsBot : TeamsActivityHandler
{
    protected override Task OnMessageActivityAsync(ITurnContext<IMessageActivity> turnContext, CancellationToken cancellationToken)
        => turnContext.SendActivityAsync(MessageFactory.Text("hello"), cancellationToken);
}
