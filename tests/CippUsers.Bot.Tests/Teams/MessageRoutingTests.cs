using System.Net;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Tests.Infrastructure;

namespace CippUsers.Bot.Tests.Teams;

public sealed class MessageRoutingTests(DemoBotFixture fixture) : IClassFixture<DemoBotFixture>
{
    private BotHarness Bot => fixture.Bot;

    [Fact]
    public async Task Help_ThroughApiMessages_RepliesWithHelpCardListingEveryCommand()
    {
        var replies = await Bot.SendAsync("help");

        var reply = Assert.Single(replies);
        Assert.Equal("reply", reply.Kind);
        Assert.Equal(TestConversation.PersonalWith(TestUsers.Tech).Id, reply.ConversationId);
        Assert.Equal("1.5", reply.Card["version"]!.GetValue<string>());
        Assert.Contains("help", reply.CardText);
        Assert.Contains("tenants", reply.CardText);
        Assert.Contains("List the customer tenants I manage.", reply.CardText);
        Assert.Contains("Example: tenants", reply.CardText);
    }

    [Fact]
    public async Task Mention_InChannel_IsStrippedBeforeRouting()
    {
        var replies = await Bot.SendAsync("<at>CippUsers</at>&nbsp;tenants", conversation: TestConversation.HelpdeskChannel);

        var reply = Assert.Single(replies);
        Assert.Equal(TestConversation.HelpdeskChannel.Id, reply.ConversationId);
        Assert.Contains("Customer tenants (2)", reply.CardText);
    }

    [Fact]
    public async Task Command_IsCaseAndWhitespaceInsensitive()
    {
        var replies = await Bot.SendAsync("  HELP  ");

        Assert.Contains("What I can do", Assert.Single(replies).CardText);
    }

    [Fact]
    public async Task UnknownText_RepliesWithDidYouMeanNamingClosestCommand()
    {
        var replies = await Bot.SendAsync("tenats");

        var reply = Assert.Single(replies);
        Assert.Contains("I don't know \"tenats\"", reply.CardText);
        Assert.Contains("Did you mean:", reply.CardText);
        var suggestions = reply.CardText[reply.CardText.IndexOf("Did you mean:", StringComparison.Ordinal)..];
        Assert.StartsWith("Did you mean:\ntenants", suggestions);
        Assert.Contains(CardVerbs.HelpShow, CardJson.Verbs(reply.Card));
    }

    [Fact]
    public async Task EmptyMention_RepliesWithHelpNotSilence()
    {
        var replies = await Bot.SendAsync("<at>CippUsers</at>", conversation: TestConversation.GroupChat);

        Assert.Contains("What I can do", Assert.Single(replies).CardText);
    }

    [Fact]
    public async Task ActionSubmitMessage_WithVerbInValue_RoutesToVerb()
    {
        var replies = await Bot.SubmitAsync(CardVerbs.TenantsShow);

        Assert.Contains("Contoso Ltd", Assert.Single(replies).CardText);
    }

    [Fact]
    public async Task Invoke_KnownVerb_Answers200WithCardForTheClicker()
    {
        var result = await Bot.InvokeAsync(CardVerbs.HelpShow);

        Assert.Equal(HttpStatusCode.OK, result.HttpStatus);
        Assert.Equal(200, result.StatusCode);
        Assert.True(result.IsCard);
        Assert.Contains("What I can do", result.CardText);
        Assert.Empty(result.Posted);
    }

    [Fact]
    public async Task Invoke_UnknownVerb_Answers200WithClearErrorBody()
    {
        var result = await Bot.InvokeAsync("nothing.here", new JsonObject { ["x"] = 1 });

        Assert.Equal(HttpStatusCode.OK, result.HttpStatus);
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("application/vnd.microsoft.error", result.Type);
        Assert.Equal("BadRequest", result.Value!["code"]!.GetValue<string>());
        Assert.Contains("no longer supported", result.Message);
    }

    [Theory]
    [InlineData("personal", "right here in this chat")]
    [InlineData("groupChat", "Mention me with a command")]
    [InlineData("channel", "in this channel")]
    public async Task BotAdded_PostsWelcomeCardForTheScope(string scope, string expected)
    {
        var conversation = scope switch
        {
            "personal" => TestConversation.PersonalWith(TestUsers.SecondTech),
            "groupChat" => TestConversation.GroupChat,
            _ => TestConversation.HelpdeskChannel,
        };

        var replies = await Bot.InstallAsync(conversation);

        var reply = Assert.Single(replies);
        Assert.Contains("Welcome to CippUsers", reply.CardText);
        Assert.Contains(expected, reply.CardText);
        Assert.Equal([CardVerbs.HelpShow, CardVerbs.TenantsShow], CardJson.Verbs(reply.Card));
    }

    [Fact]
    public async Task UserAdded_NotTheBot_PostsNothing()
    {
        var activity = Bot.Activity("conversationUpdate", conversation: TestConversation.GroupChat);
        activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = TestUsers.SecondTech.ChannelUserId });
        var before = Bot.Connector.Count;

        using var response = await Bot.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(Bot.Connector.CallsSince(before));
    }
}
