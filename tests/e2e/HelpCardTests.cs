using CippUsers.E2E.Infrastructure;

namespace CippUsers.E2E;

[Collection(PlaygroundCollection.Name)]
public sealed class HelpCardTests(PlaygroundSession session)
{
    [Fact]
    public async Task Help_in_personal_chat_renders_the_help_card()
    {
        await session.OpenChatAsync(PlaygroundSession.PersonalChat);

        await session.SendAsync("help");
        var card = await session.WaitForCardContainingAsync("tenants");

        await session.ScreenshotAsync("help-card");
        var text = await card.InnerTextAsync();
        Assert.True(await card.IsVisibleAsync(), "the help card is in the page but not visible");
        // The help card is generated from the route table: every command, including help itself, is listed.
        Assert.Contains("help", text, StringComparison.OrdinalIgnoreCase);
    }
}
