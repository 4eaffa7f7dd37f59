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
        // The help card is generated from the route table: one entry per command, each with an example. The welcome
        // card also names commands, so look for the examples, which only the help card has.
        var card = await session.WaitForCardContainingAsync("Example: tenants", "Example: help");

        await session.ScreenshotAsync("help-card");
        var text = await card.InnerTextAsync();
        Assert.True(await card.IsVisibleAsync(), "the help card is in the page but not visible");
        Assert.DoesNotContain("Welcome", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("tenants", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_text_gets_a_did_you_mean_card_whose_button_shows_the_help_card()
    {
        await session.OpenChatAsync(PlaygroundSession.PersonalChat);

        await session.SendAsync("tenantz");
        await session.WaitForCardContainingAsync("tenantz", "Show all commands");
        await session.ScreenshotAsync("did-you-mean-card");

        // Action.Execute through the Playground: adaptiveCard/action invoke, answered with the help card.
        await session.ClickButtonAsync("Show all commands");
        var card = await session.WaitForCardContainingAsync("Example: tenants", "Example: help");

        await session.ScreenshotAsync("help-card-from-button");
        Assert.DoesNotContain("tenantz", await card.InnerTextAsync(), StringComparison.Ordinal);
    }
}
