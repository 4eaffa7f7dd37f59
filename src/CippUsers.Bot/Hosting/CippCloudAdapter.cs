using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;

namespace CippUsers.Bot.Hosting;

/// <summary>CloudAdapter with a turn-error handler that logs (without message text) and tells the user.</summary>
internal sealed class CippCloudAdapter : CloudAdapter
{
    public CippCloudAdapter(BotFrameworkAuthentication authentication, ILogger<CippCloudAdapter> log)
        : base(authentication, log)
    {
        OnTurnError = async (turnContext, exception) =>
        {
            log.LogError(exception, "Unhandled error in a {ActivityType} turn", turnContext.Activity.Type);
            if (turnContext.Activity.Type == Microsoft.Bot.Schema.ActivityTypes.Message)
            {
                await turnContext.SendActivityAsync("Sorry, something went wrong. Please try again.");
            }
        };
    }
}
