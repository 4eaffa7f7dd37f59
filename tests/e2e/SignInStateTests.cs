using CippUsers.E2E.Infrastructure;

namespace CippUsers.E2E;

/// <summary>
/// Set Sign-In State through the Playground, as the demo's helpdesk tech (Alex Rivera, helpdesk via
/// appsettings.Demo.json): typed command → confirmation card → Confirm → background job → the card shows the result.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class SignInStateTests(PlaygroundSession session)
{
    // An enabled, cloud-only member of the demo's Contoso Dental tenant (seeded deterministically; one of the first
    // three users, which the seeder always makes enabled and not synced from on-premises AD).
    private const string Upn = "mozelle.corwin@contosodental.com";
    private const string DisplayName = "Mozelle Corwin";

    [Fact]
    public async Task Disable_typed_in_personal_chat_is_confirmed_and_the_card_shows_the_result()
    {
        await session.OpenChatAsync(PlaygroundSession.PersonalChat);

        await session.SendAsync($"disable {Upn}");
        var confirmation = await session.WaitForCardContainingAsync("Please confirm", "Contoso Dental", DisplayName);
        var request = await confirmation.InnerTextAsync();
        Assert.Contains("Confirm", request, StringComparison.Ordinal);
        Assert.Contains("Cancel", request, StringComparison.Ordinal);
        await session.ScreenshotAsync("sign-in-state-confirmation");

        await session.ClickButtonAsync("Confirm");
        var result = await session.WaitForCardContainingAsync("✓ Done", "1 of 1 succeeded", $"✓ {DisplayName}");

        await session.ScreenshotAsync("sign-in-state-result");
        var text = await result.InnerTextAsync();
        Assert.Contains("confirmed by Alex Rivera", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Please confirm", text, StringComparison.Ordinal);
    }
}
