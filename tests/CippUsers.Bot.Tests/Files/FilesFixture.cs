using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Teams;
using CippUsers.Bot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Bot.Tests.Files;

/// <summary>A demo-mode bot with a .csv test feature, a 64 KB inbound limit and 320 KiB upload chunks, plus a loopback
/// OneDrive stand-in. <see cref="ConsentBot"/> forces the Teams file consent flow (the default in demo is a link).</summary>
public sealed class FilesFixture : IAsyncLifetime
{
    public const long InboundLimit = 64 * 1024;
    public const int ChunkBytes = 320 * 1024;

    public BotHarness Bot { get; private set; } = null!;

    public BotHarness ConsentBot { get; private set; } = null!;

    public FileTestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await FileTestServer.StartAsync();
        Bot = await BotHarness.StartAsync(Configure);
        ConsentBot = await BotHarness.StartAsync(o =>
        {
            Configure(o);
            o.Settings["Files:Delivery"] = "Consent";
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await ConsentBot.DisposeAsync();
        await Server.DisposeAsync();
    }

    private static void Configure(BotHarnessOptions o)
    {
        o.Settings["Files:MaxInboundBytes"] = InboundLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        o.Settings["Files:UploadChunkBytes"] = ChunkBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The echo feature owns .csv here instead of the bulk import's file route (one handler per file type).
        o.ConfigureServices = s =>
        {
            foreach (var d in s.Where(d => d.ServiceType == typeof(IFeature) && d.ImplementationType == typeof(CippUsers.Bot.Features.Imports.ImportFileFeature)).ToList())
                s.Remove(d);
            s.AddFeature<CsvEchoFeature>();
        };
    }
}

internal static class FileActivities
{
    /// <summary>A message with a Teams file.download.info attachment, as Teams posts it when a tech sends a file.</summary>
    public static async Task<IReadOnlyList<ConnectorCall>> SendFileAsync(
        this BotHarness bot, string name, string downloadUrl, string? text = null, TestUser? from = null, TestConversation? conversation = null, string? fileType = null)
    {
        var activity = bot.Activity("message", from, conversation);
        activity["text"] = text;
        activity["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.teams.file.download.info",
            ["name"] = name,
            ["contentUrl"] = "https://contoso-my.sharepoint.com/personal/alex/Documents/" + name,
            ["content"] = new JsonObject
            {
                ["downloadUrl"] = downloadUrl,
                ["uniqueId"] = "8E3C1A52-0000-4000-8000-000000000001",
                ["fileType"] = fileType ?? Path.GetExtension(name).TrimStart('.'),
                ["etag"] = "1",
            },
        });
        var before = bot.Connector.Count;
        using var response = await bot.PostAsync(activity);
        response.EnsureSuccessStatusCode();
        return bot.Connector.CallsSince(before);
    }

    /// <summary>The tech's answer to a file consent card (fileConsent/invoke).</summary>
    public static async Task<HttpResponseMessage> AnswerConsentAsync(
        this BotHarness bot, string action, string? fileId, JsonObject? uploadInfo = null, TestUser? from = null)
    {
        var activity = bot.Activity("invoke", from);
        activity["name"] = "fileConsent/invoke";
        var value = new JsonObject { ["type"] = "fileUpload", ["action"] = action, ["context"] = new JsonObject { ["fileId"] = fileId } };
        if (uploadInfo is not null)
        {
            value["uploadInfo"] = uploadInfo;
        }

        activity["value"] = value;
        return await bot.PostAsync(activity);
    }

    public static JsonObject UploadInfo(Uri uploadUrl, string name = "report.csv") => new()
    {
        ["contentUrl"] = "https://contoso-my.sharepoint.com/personal/alex/Documents/Applications/CippUsers/" + name,
        ["name"] = name,
        ["uploadUrl"] = uploadUrl.ToString(),
        ["uniqueId"] = "1150D938-0000-4000-8000-00000000F11E",
        ["fileType"] = "csv",
        ["etag"] = "\"{1150D938},1\"",
    };

    /// <summary>The tech's 1:1 chat with the bot as the bot would address it.</summary>
    public static ConversationAddress PersonalChat(this BotHarness bot, TestUser user) => new(
        bot.Connector.ServiceUrl.ToString(),
        TestConversation.PersonalWith(user).Id,
        ConversationKind.Personal,
        TestUsers.MspTenantId,
        null,
        null,
        bot.BotId,
        "CippUsers");

    public static Caller AsCaller(this TestUser user) => new(user.AadObjectId, user.Name, user.ChannelUserId);

    public static JsonObject? Attachment(this ConnectorCall call, string contentType)
        => (call.Body["attachments"] as JsonArray)?.FirstOrDefault(a => a?["contentType"]?.GetValue<string>() == contentType)?.AsObject();

    public static async Task<ConnectorCall> WaitForAsync(this FakeConnector connector, int since, Func<ConnectorCall, bool> match)
    {
        for (var i = 0; i < 200; i++)
        {
            if (connector.CallsSince(since).FirstOrDefault(match) is { } call)
            {
                return call;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The bot did not post the expected activity: " + string.Join("\n", connector.CallsSince(since)));
    }
}
