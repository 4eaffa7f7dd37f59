using System.Text.Json;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Features.Welcome;
using CippUsers.Bot.Files;
using CippUsers.Bot.Hosting;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Teams;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CippUsers.Bot.Teams;

/// <summary>Dispatch only: turns activities into <see cref="BotTurn"/>s and hands them to the route table.</summary>
internal sealed class CippTeamsBot(
    BotDispatcher dispatcher,
    TeamsConnector connector,
    FileDelivery files,
    IOptions<BotAuthenticationOptions> auth,
    ILogger<CippTeamsBot> log) : TeamsActivityHandler
{
    public override async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        if (!auth.Value.IsDemo && !IsFromMspTenant(turnContext.Activity))
        {
            log.LogWarning("Refused a {ActivityType} activity from tenant {TenantId}: not the MSP tenant",
                turnContext.Activity.Type, ActivityMapping.TenantOf(turnContext.Activity));
            if (turnContext.Activity.Type == ActivityTypes.Invoke)
            {
                var refusal = ActivityMapping.ToInvokeResponse(InvokeReply.ForError(403, "This bot only serves its own organisation."));
                await turnContext.SendActivityAsync(
                    new Activity(ActivityTypesEx.InvokeResponse) { Value = new InvokeResponse { Status = 200, Body = refusal } },
                    cancellationToken);
            }

            return;
        }

        await base.OnTurnAsync(turnContext, cancellationToken);
    }

    protected override Task OnMessageActivityAsync(ITurnContext<IMessageActivity> turnContext, CancellationToken cancellationToken)
    {
        var turn = TurnOf(turnContext, isInvoke: false, ActivityMapping.FilesOf(turnContext.Activity));

        // Action.Submit (and Action.Execute's fallback on old clients) arrives as a message whose value carries the verb.
        if (turnContext.Activity.Value is JObject value && value.Value<string>("verb") is { Length: > 0 } verb)
        {
            return dispatcher.OnSubmitAsync(turn, verb, ToJsonElement(value), cancellationToken);
        }

        return dispatcher.OnMessageAsync(turn, turnContext.Activity.Text, cancellationToken);
    }

    protected override async Task<AdaptiveCardInvokeResponse> OnAdaptiveCardInvokeAsync(
        ITurnContext<IInvokeActivity> turnContext, AdaptiveCardInvokeValue invokeValue, CancellationToken cancellationToken)
    {
        var turn = TurnOf(turnContext, isInvoke: true);
        var verb = invokeValue.Action?.Verb;
        if (string.IsNullOrWhiteSpace(verb))
        {
            return ActivityMapping.ToInvokeResponse(InvokeReply.ForError(400, "The card action has no verb."));
        }

        var reply = await dispatcher.OnVerbAsync(turn, verb, ToJsonElement(invokeValue.Action!.Data), cancellationToken);

        // A handler that only posted messages still owes Teams an answer for the clicker.
        return ActivityMapping.ToInvokeResponse(reply ?? InvokeReply.ForMessage("Done."));
    }

    // fileConsent/invoke: TeamsActivityHandler answers 200 with an empty body after these, and 400 for any other action.
    protected override Task OnTeamsFileConsentAcceptAsync(ITurnContext<IInvokeActivity> turnContext, FileConsentCardResponse fileConsentCardResponse, CancellationToken cancellationToken)
        => files.OnConsentAsync(TurnOf(turnContext, isInvoke: true), ActivityMapping.ConsentOf(fileConsentCardResponse), cancellationToken);

    protected override Task OnTeamsFileConsentDeclineAsync(ITurnContext<IInvokeActivity> turnContext, FileConsentCardResponse fileConsentCardResponse, CancellationToken cancellationToken)
        => files.OnConsentAsync(TurnOf(turnContext, isInvoke: true), ActivityMapping.ConsentOf(fileConsentCardResponse), cancellationToken);

    protected override async Task OnMembersAddedAsync(IList<ChannelAccount> membersAdded, ITurnContext<IConversationUpdateActivity> turnContext, CancellationToken cancellationToken)
    {
        if (!membersAdded.Any(m => m.Id == turnContext.Activity.Recipient?.Id))
        {
            return;
        }

        var turn = TurnOf(turnContext, isInvoke: false);
        log.LogInformation("Installed in a {ConversationKind} conversation", turn.Conversation.Kind);
        await turn.SendCardAsync(WelcomeCards.Welcome(turn.Conversation.Kind), cancellationToken);
    }

    // TeamsActivityHandler routes membersAdded in Teams through these; send everything to the one handler above.
    protected override Task OnTeamsMembersAddedAsync(IList<Microsoft.Bot.Schema.Teams.TeamsChannelAccount> teamsMembersAdded, Microsoft.Bot.Schema.Teams.TeamInfo teamInfo, ITurnContext<IConversationUpdateActivity> turnContext, CancellationToken cancellationToken)
        => OnMembersAddedAsync([.. teamsMembersAdded], turnContext, cancellationToken);

    private bool IsFromMspTenant(IActivity activity)
        => string.Equals(ActivityMapping.TenantOf(activity), auth.Value.MicrosoftAppTenantId, StringComparison.OrdinalIgnoreCase);

    private BotTurn TurnOf(ITurnContext context, bool isInvoke, IReadOnlyList<InboundFile>? inboundFiles = null)
        => new(new TurnConnection(context, connector),
            ActivityMapping.CallerOf(context.Activity),
            ActivityMapping.AddressOf(context.Activity),
            context.Activity.ReplyToId,
            isInvoke)
        {
            Files = inboundFiles ?? [],
        };

    private static JsonElement ToJsonElement(object? data)
        => System.Text.Json.JsonSerializer.Deserialize<JsonElement>(data is null ? "{}" : JsonConvert.SerializeObject(data));
}
