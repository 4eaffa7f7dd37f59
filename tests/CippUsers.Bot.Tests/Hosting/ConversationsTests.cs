using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Teams;
using CippUsers.Bot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Bot.Tests.Hosting;

public sealed class ConversationsTests
{
    [Fact]
    public async Task Reply_ConnectorThrottles429Then502_IsRetriedAndDelivered()
    {
        await using var bot = await BotHarness.StartAsync();
        bot.Connector.FailNext(HttpStatusCode.TooManyRequests);
        bot.Connector.FailNext(HttpStatusCode.BadGateway);

        var replies = await bot.SendAsync("help");

        Assert.Contains("What I can do", Assert.Single(replies).CardText);
        Assert.Equal(2, bot.Connector.FailedCalls);
    }

    [Fact]
    public async Task ProactiveMessenger_SendsAndUpdatesInStoredConversation()
    {
        await using var bot = await BotHarness.StartAsync(o => o.ConfigureServices = s => s.AddFeature<CaptureFeature>().AddSingleton<Captured>());
        await bot.SendAsync("capture", conversation: TestConversation.HelpdeskChannel);
        var address = bot.Services.GetRequiredService<Captured>().Turn!.Conversation;
        var messenger = bot.Services.GetRequiredService<ProactiveMessenger>();

        // Stored as JSON by others: must round-trip.
        var stored = JsonSerializer.Deserialize<ConversationAddress>(JsonSerializer.Serialize(address))!;
        var id = await messenger.SendCardAsync(stored, new AdaptiveCard().Add(new TextBlock("Approval needed")), TestContext.Current.CancellationToken);
        await messenger.UpdateCardAsync(stored, id, new AdaptiveCard().Add(new TextBlock("Approved")), TestContext.Current.CancellationToken);

        Assert.Equal(ConversationKind.Channel, stored.Kind);
        Assert.Equal(TestConversation.HelpdeskChannel.TeamId, stored.TeamId);
        Assert.Equal(TestUsers.MspTenantId, stored.TenantId);
        var calls = bot.Connector.Calls.TakeLast(2).ToList();
        Assert.Equal(("send", TestConversation.HelpdeskChannel.Id), (calls[0].Kind, calls[0].ConversationId));
        Assert.Contains("Approval needed", calls[0].CardText);
        Assert.Equal(("update", id), (calls[1].Kind, calls[1].TargetActivityId));
        Assert.Contains("Approved", calls[1].CardText);
    }

    [Fact]
    public async Task ProactiveMessenger_OpensPersonalChatWithTech()
    {
        await using var bot = await BotHarness.StartAsync(o => o.ConfigureServices = s => s.AddFeature<CaptureFeature>().AddSingleton<Captured>());
        await bot.SendAsync("capture", TestUsers.SecondTech, TestConversation.HelpdeskChannel);
        var turn = bot.Services.GetRequiredService<Captured>().Turn!;
        var messenger = bot.Services.GetRequiredService<ProactiveMessenger>();

        var personal = await messenger.GetOrCreatePersonalChatAsync(turn.Conversation, turn.Caller, TestContext.Current.CancellationToken);
        await messenger.SendTextAsync(personal, "Your temporary password is in this chat only.", TestContext.Current.CancellationToken);

        Assert.Equal(ConversationKind.Personal, personal.Kind);
        Assert.Null(personal.TeamId);
        var create = bot.Connector.Calls.Single(c => c.Kind == "createConversation");
        Assert.Equal(TestUsers.SecondTech.ChannelUserId, create.Body["members"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(TestUsers.MspTenantId, create.Body["tenantId"]!.GetValue<string>());
        var sent = bot.Connector.Calls[^1];
        Assert.Equal(personal.ConversationId, sent.ConversationId);
        Assert.Equal("Your temporary password is in this chat only.", sent.Text);
    }

    [Fact]
    public async Task Caller_IsIdentifiedFromActivity()
    {
        await using var bot = await BotHarness.StartAsync(o => o.ConfigureServices = s => s.AddFeature<CaptureFeature>().AddSingleton<Captured>());

        await bot.SendAsync("<at>CippUsers</at> capture some args", TestUsers.Approver, TestConversation.GroupChat);

        var captured = bot.Services.GetRequiredService<Captured>();
        Assert.Equal(new Caller(TestUsers.Approver.AadObjectId, TestUsers.Approver.Name, TestUsers.Approver.ChannelUserId), captured.Turn!.Caller);
        Assert.Equal(ConversationKind.GroupChat, captured.Turn.Conversation.Kind);
        Assert.Equal("some args", captured.Arguments);
        Assert.False(captured.Turn.IsInvoke);
    }

    [Fact]
    public async Task Invoke_HandlerThrows_Answers200WithErrorBodyNot500()
    {
        await using var bot = await BotHarness.StartAsync(o => o.ConfigureServices = s => s.AddFeature<CaptureFeature>().AddSingleton<Captured>());

        var result = await bot.InvokeAsync("test.throw", new JsonObject { ["operationId"] = "op-1" });

        Assert.Equal(HttpStatusCode.OK, result.HttpStatus);
        Assert.Equal(500, result.StatusCode);
        Assert.Equal("application/vnd.microsoft.error", result.Type);
        Assert.DoesNotContain("boom", result.Body!.ToJsonString());
    }

    [Fact]
    public async Task Invoke_HandlerUpdatesCardAndRespondsWithMessage()
    {
        await using var bot = await BotHarness.StartAsync(o => o.ConfigureServices = s => s.AddFeature<CaptureFeature>().AddSingleton<Captured>());

        var result = await bot.InvokeAsync("test.update", new JsonObject { ["operationId"] = "op-7" }, replyToId: "activity-42");

        Assert.Equal("application/vnd.microsoft.activity.message", result.Type);
        Assert.Equal("Updated op-7", result.Message);
        var update = Assert.Single(result.Posted);
        Assert.Equal(("update", "activity-42"), (update.Kind, update.TargetActivityId));
    }

    [Fact]
    public async Task Command_HandlerThrows_TellsTheUserInsteadOfSilence()
    {
        await using var bot = await BotHarness.StartAsync(o => o.ConfigureServices = s => s.AddFeature<CaptureFeature>().AddSingleton<Captured>());

        var replies = await bot.SendAsync("explode");

        Assert.Contains("\"explode\" failed", Assert.Single(replies).Text);
    }

    private sealed class Captured
    {
        public BotTurn? Turn { get; set; }
        public string? Arguments { get; set; }
    }

    private sealed class CaptureFeature(Captured captured) : IFeature
    {
        public void Map(BotRoutes routes)
        {
            routes.Command("capture", "Capture the turn.", "capture", (turn, args, _) =>
            {
                captured.Turn = turn;
                captured.Arguments = args;
                return Task.CompletedTask;
            });
            routes.Command("explode", "Throws.", "explode", (_, _, _) => throw new InvalidOperationException("boom"));
            routes.Verb("test.throw", (_, _, _) => throw new InvalidOperationException("boom"));
            routes.Verb("test.update", async (turn, data, ct) =>
            {
                await turn.UpdateCardAsync(turn.ReplyToId!, new AdaptiveCard().Add(new TextBlock("Done for everyone")), ct);
                turn.RespondWithMessage($"Updated {data.GetProperty("operationId").GetString()}");
            });
        }
    }
}
