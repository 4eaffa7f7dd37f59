using System.Text.RegularExpressions;
using CippUsers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace CippUsers.E2E;

/// <summary>
/// Add User through the Playground: typed command → the Add User card, filled in the browser (first name, last name,
/// username) → Review and create → Create user → the result card with ✓. The generated password arrives as its own
/// private card; no other card (form, confirmation, result) carries it. The Playground only delivers channel and group
/// chat messages that mention the bot, so the flow runs in the personal chat, where the private card also lands.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed partial class AddUserTests(PlaygroundSession session)
{
    private const string Tenant = "contosodental.com";

    [Fact]
    public async Task Add_user_filled_in_the_card_is_created_and_the_password_is_not_in_the_conversation()
    {
        var username = "e2e." + Guid.NewGuid().ToString("N")[..6];
        await session.OpenChatAsync(PlaygroundSession.PersonalChat);

        await session.SendAsync($"add user {Tenant}");
        var form = await session.WaitForCardContainingAsync("Add user to Contoso Dental", "Review and create");
        await Field(form, "First name").FillAsync("Erin");
        await Field(form, "Last name").FillAsync("Playwright");
        await Field(form, "Username (required)").FillAsync(username);
        await session.ScreenshotAsync("add-user-form");

        await session.ClickButtonAsync("Review and create");
        var confirmation = await session.WaitForCardContainingAsync($"Create {username}@{Tenant}", "Create user");
        Assert.Contains("Erin Playwright", await confirmation.InnerTextAsync(), StringComparison.Ordinal);

        await session.ClickButtonAsync("Create user");
        var result = await session.WaitForCardContainingAsync($"Created {username}@{Tenant}", "✓ Create");
        await session.ScreenshotAsync("add-user-result");
        var resultText = await result.InnerTextAsync();
        Assert.Contains("Password sent to you in a private chat", resultText, StringComparison.Ordinal);

        // The password went to a separate 1:1 conversation the bot created for the tech (the Playground does not list
        // it): no card of this conversation holds a password card or password text.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var cards = await session.CardTextsAsync();
        Assert.DoesNotContain(cards, c => c.Contains("Password for", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(cards, c => PasswordLike().IsMatch(c));
    }

    private static ILocator Field(ILocator card, string label) => card.GetByLabel(label, new() { Exact = false }).First;

    // A generated password: 14+ characters of PasswordGenerator's alphabet mixing upper, lower, digit and one of its
    // symbols ($%&*#), so UPNs and ids on other tests' cards in the shared conversation do not look like one.
    [GeneratedRegex(@"(?=[A-Za-z0-9$%&*#]*[A-Z])(?=[A-Za-z0-9$%&*#]*[a-z])(?=[A-Za-z0-9$%&*#]*[0-9])(?=[A-Za-z0-9$%&*#]*[$%&*#])[A-Za-z0-9$%&*#]{14,}")]
    private static partial Regex PasswordLike();
}
