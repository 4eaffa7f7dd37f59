using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Tests.Infrastructure;

namespace CippUsers.Bot.Tests.Features.AddUser;

/// The "Add user" buttons of the tenants card and the users list card open the Add User card for that tenant.
public sealed class AddUserEntryTests(AddUserBotFixture fixture) : IClassFixture<AddUserBotFixture>
{
    [Fact]
    public async Task TenantsCard_AddUserButton_OpensTheFormForThatTenant()
    {
        var channel = TestConversation.HelpdeskChannel;
        var list = Assert.Single(await fixture.Bot.SendAsync("tenants", TestUsers.Tech, channel));
        var button = Buttons(list.Card).Single(b => b["data"]?["tenantId"]?.GetValue<string>() == fixture.Tenant.TenantId);
        Assert.Equal("Add user", button["title"]!.GetValue<string>());

        var clicked = await fixture.Bot.InvokeAsync(CardVerbs.AddUserOpen, button["data"]!.AsObject(), TestUsers.Tech, channel, list.ActivityId);

        Assert.Contains(fixture.Tenant.DisplayName, clicked.Message, StringComparison.Ordinal);
        var form = Assert.Single(clicked.Posted, c => c.Cards.Count == 1);
        Assert.Contains($"Add user to {fixture.Tenant.DisplayName}", form.CardText, StringComparison.Ordinal);
        Assert.Equal(channel.Id, form.ConversationId);
    }

    [Fact]
    public async Task UsersListCard_AddUserButton_OpensTheFormForThatTenant()
    {
        var channel = TestConversation.HelpdeskChannel;
        var list = Assert.Single(await fixture.Bot.SendAsync($"users {fixture.Tenant.DefaultDomain}", TestUsers.Tech, channel), c => c.Cards.Count == 1);
        var button = Buttons(list.Card).Single(b => b["verb"]?.GetValue<string>() == CardVerbs.AddUserOpen);
        Assert.Equal(fixture.Tenant.TenantId, button["data"]!["tenantId"]!.GetValue<string>());

        var clicked = await fixture.Bot.InvokeAsync(CardVerbs.AddUserOpen, button["data"]!.AsObject(), TestUsers.Tech, channel, list.ActivityId);

        Assert.Contains($"Add user to {fixture.Tenant.DisplayName}", Assert.Single(clicked.Posted, c => c.Cards.Count == 1).CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddUserButton_ForAnUnknownTenant_IsRefused()
    {
        var clicked = await fixture.Bot.InvokeAsync(CardVerbs.AddUserOpen, new JsonObject { ["tenantId"] = Guid.NewGuid().ToString() }, TestUsers.Tech);

        Assert.Equal(400, clicked.StatusCode);
        Assert.Empty(clicked.Posted);
    }

    internal static IEnumerable<JsonObject> Buttons(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["type"]?.GetValue<string>() == "Action.Execute")
                    yield return o;
                foreach (var (_, child) in o)
                    foreach (var b in Buttons(child))
                        yield return b;
                break;
            case JsonArray a:
                foreach (var child in a)
                    foreach (var b in Buttons(child))
                        yield return b;
                break;
        }
    }
}
