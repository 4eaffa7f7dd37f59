using System.Net;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Hosting;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Teams;

/// <summary>Every outbound call to the Bot Connector goes through here: per-conversation throttling and retry of
/// 429/412/502/504 with jittered exponential back-off (Retry-After honoured).</summary>
internal sealed class TeamsConnector(
    CloudAdapter adapter,
    OutboundThrottle throttle,
    IOptions<BotAuthenticationOptions> auth,
    TimeProvider time,
    ILogger<TeamsConnector> log)
{
    private const int MaxAttempts = 5;
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private string? BotAppId => auth.Value.IsDemo ? null : auth.Value.MicrosoftAppId;

    public async Task<string> SendAsync(ITurnContext context, OutboundMessage message, CancellationToken ct)
    {
        var conversationId = context.Activity.Conversation?.Id ?? string.Empty;
        var response = await ExecuteAsync(conversationId, () => context.SendActivityAsync(ActivityMapping.ToActivity(message), ct), ct);
        return response?.Id ?? string.Empty;
    }

    public Task UpdateAsync(ITurnContext context, string activityId, AdaptiveCard card, CancellationToken ct)
    {
        var activity = ActivityMapping.ToActivity(OutboundMessage.ForCard(card));
        activity.Id = activityId;
        return ExecuteAsync(context.Activity.Conversation?.Id ?? string.Empty, () => context.UpdateActivityAsync(activity, ct), ct);
    }

    public async Task<string> SendAsync(ConversationAddress to, OutboundMessage message, CancellationToken ct)
    {
        var id = string.Empty;
        await adapter.ContinueConversationAsync(
            BotAppId!,
            ActivityMapping.ReferenceOf(to),
            async (context, token) =>
            {
                // The continuation activity gets a made-up id; sending would "reply" to it. Post to the conversation instead.
                context.Activity.Id = null;
                id = await SendAsync(context, message, token);
            },
            ct);
        return id;
    }

    public Task UpdateAsync(ConversationAddress to, string activityId, AdaptiveCard card, CancellationToken ct)
        => adapter.ContinueConversationAsync(
            BotAppId!,
            ActivityMapping.ReferenceOf(to),
            (context, token) => UpdateAsync(context, activityId, card, token),
            ct);

    public async Task<ConversationAddress> CreatePersonalChatAsync(ConversationAddress origin, Caller user, CancellationToken ct)
    {
        var parameters = new ConversationParameters
        {
            IsGroup = false,
            Bot = new ChannelAccount(origin.BotId, origin.BotName),
            Members = [new ChannelAccount(user.ChannelUserId) { AadObjectId = user.AadObjectId }],
            TenantId = origin.TenantId,
            ChannelData = new { tenant = new { id = origin.TenantId } },
        };
        ConversationAddress? created = null;
        await ExecuteAsync(origin.ConversationId, async () =>
        {
            await adapter.CreateConversationAsync(
                BotAppId!,
                ActivityMapping.TeamsChannelId,
                origin.ServiceUrl,
                auth.Value.IsDemo ? null! : "https://api.botframework.com",
                parameters,
                (context, _) =>
                {
                    var conversationId = context.Activity.Conversation?.Id ?? string.Empty;
                    created = origin with
                    {
                        ConversationId = conversationId,
                        Kind = ConversationKind.Personal,
                        TeamId = null,
                        ChannelId = null,
                    };
                    return Task.CompletedTask;
                },
                ct);
            return true;
        }, ct);
        log.LogInformation("Opened a personal chat with {AadObjectId}", user.AadObjectId);
        return created ?? throw new InvalidOperationException("Teams did not return the personal chat.");
    }

    private async Task<T> ExecuteAsync<T>(string conversationId, Func<Task<T>> send, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using (await throttle.WaitAsync(conversationId, ct))
            {
                try
                {
                    return await send();
                }
                catch (ErrorResponseException e) when (IsTransient(e.Response?.StatusCode) && attempt < MaxAttempts)
                {
                    var delay = RetryDelay(e, attempt);
                    log.LogWarning("Bot Connector answered {StatusCode}; retry {Attempt} in {DelayMs} ms",
                        (int?)e.Response?.StatusCode, attempt, (int)delay.TotalMilliseconds);
                    await Task.Delay(delay, time, ct);
                }
            }
        }
    }

    private static bool IsTransient(HttpStatusCode? status)
        => status is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;

    private static TimeSpan RetryDelay(ErrorResponseException e, int attempt)
    {
        if (e.Response?.Headers is { } headers
            && headers.TryGetValue("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxDelay.TotalSeconds));
        }

        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var jittered = exponential * (0.5 + Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(jittered, MaxDelay.TotalMilliseconds));
    }
}
