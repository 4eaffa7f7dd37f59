using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Files;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Newtonsoft.Json.Linq;

namespace CippUsers.Bot.Teams;

/// <summary>Translates between Bot Framework activities and the bot's own plain types.</summary>
internal static class ActivityMapping
{
    public const string TeamsChannelId = "msteams";

    public static Caller CallerOf(IActivity activity)
        => new(activity.From?.AadObjectId ?? string.Empty, activity.From?.Name ?? string.Empty, activity.From?.Id ?? string.Empty);

    public static ConversationAddress AddressOf(IActivity activity)
    {
        var channelData = activity.GetChannelData<TeamsChannelData>();
        var tenantId = TenantOf(activity) ?? string.Empty;
        return new ConversationAddress(
            activity.ServiceUrl ?? string.Empty,
            activity.Conversation?.Id ?? string.Empty,
            KindOf(activity.Conversation?.ConversationType),
            tenantId,
            channelData?.Team?.Id,
            channelData?.Channel?.Id,
            activity.Recipient?.Id ?? string.Empty,
            activity.Recipient?.Name);
    }

    /// <summary>channelData.tenant.id, falling back to conversation.tenantId.</summary>
    public static string? TenantOf(IActivity activity)
    {
        var fromChannelData = activity.ChannelData is null ? null : activity.GetChannelData<TeamsChannelData>()?.Tenant?.Id;
        return string.IsNullOrEmpty(fromChannelData) ? activity.Conversation?.TenantId : fromChannelData;
    }

    public static ConversationKind KindOf(string? conversationType) => conversationType switch
    {
        "channel" => ConversationKind.Channel,
        "groupChat" => ConversationKind.GroupChat,
        _ => ConversationKind.Personal,
    };

    public static string TypeOf(ConversationKind kind) => kind switch
    {
        ConversationKind.Personal => "personal",
        ConversationKind.GroupChat => "groupChat",
        ConversationKind.Channel => "channel",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static ConversationReference ReferenceOf(ConversationAddress address) => new()
    {
        ChannelId = TeamsChannelId,
        ServiceUrl = address.ServiceUrl,
        Bot = new ChannelAccount(address.BotId, address.BotName),
        Conversation = new ConversationAccount(
            isGroup: address.Kind != ConversationKind.Personal,
            conversationType: TypeOf(address.Kind),
            id: address.ConversationId,
            tenantId: address.TenantId),
    };

    public static Activity ToActivity(OutboundMessage message)
    {
        var activity = (Activity)Activity.CreateMessageActivity();
        activity.Text = message.Text;
        if (message.Card is { } card)
        {
            activity.Attachments = [ToAttachment(card)];
            activity.Summary = card.FallbackText;
        }
        else if (message.Attachment is { } attachment)
        {
            activity.Attachments =
            [
                new Attachment
                {
                    ContentType = attachment.ContentType,
                    Name = attachment.Name,
                    ContentUrl = attachment.ContentUrl,
                    Content = attachment.Content is null ? null : JObject.Parse(attachment.Content.ToJsonString()),
                },
            ];
        }

        return activity;
    }

    /// <summary>The files a tech sent with a message (Teams file.download.info attachments, personal chat only).</summary>
    public static IReadOnlyList<InboundFile> FilesOf(IActivity activity)
    {
        if (activity is not IMessageActivity { Attachments: { Count: > 0 } attachments })
        {
            return [];
        }

        var files = new List<InboundFile>();
        foreach (var attachment in attachments)
        {
            if (attachment.ContentType != InboundFile.ContentType)
            {
                continue;
            }

            var content = attachment.Content is null ? null : JObject.FromObject(attachment.Content);
            var downloadUrl = content?.Value<string>("downloadUrl");
            if (string.IsNullOrWhiteSpace(downloadUrl))
            {
                continue;
            }

            var name = attachment.Name ?? string.Empty;
            var fileType = content?.Value<string>("fileType");
            files.Add(new InboundFile(name, InboundFile.NormalizeType(fileType, name), downloadUrl, content?.Value<string>("uniqueId")));
        }

        return files;
    }

    public static FileConsentAnswer ConsentOf(FileConsentCardResponse response)
    {
        var context = response.Context is null ? null : JToken.FromObject(response.Context) as JObject;
        var upload = response.UploadInfo is { UploadUrl: { Length: > 0 } uploadUrl } info
            ? new FileUploadTarget(uploadUrl, info.ContentUrl, info.Name, info.UniqueId, info.FileType)
            : null;
        return new FileConsentAnswer(response.Action ?? string.Empty, context?.Value<string>("fileId"), upload);
    }

    public static Attachment ToAttachment(AdaptiveCard card)
        => new() { ContentType = AdaptiveCard.ContentType, Content = JObject.Parse(card.ToJson().ToJsonString()) };

    public static AdaptiveCardInvokeResponse ToInvokeResponse(InvokeReply reply) => new()
    {
        StatusCode = reply.StatusCode,
        Type = reply.Type,
        Value = reply.Value is null ? null : JToken.Parse(reply.Value.ToJsonString()),
    };
}
