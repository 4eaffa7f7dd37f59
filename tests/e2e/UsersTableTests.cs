using System.Diagnostics;
using CippUsers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace CippUsers.E2E;

/// <summary>
/// The users table through the Playground, as the demo's helpdesk tech: `users contosodental.com` → open a user → Edit
/// User → change the job title → Review changes → Confirm → ✓, then the user card read again from the demo's emulator
/// shows the new job title.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class UsersTableTests(PlaygroundSession session)
{
    // A licensed, cloud-only member of the demo's Contoso Dental tenant (seeded deterministically; no other e2e test
    // touches this user).
    private const string Upn = "aurelio.hauck@contosodental.com";
    private const string DisplayName = "Aurelio Hauck";

    [Fact]
    public async Task List_open_a_user_edit_the_job_title_confirm_and_the_tenant_has_it()
    {
        var jobTitle = "Night Auditor " + Guid.NewGuid().ToString("N")[..6];
        await session.OpenChatAsync(PlaygroundSession.PersonalChat);

        await session.SendAsync("users contosodental.com aurelio");
        await session.WaitForCardContainingAsync("Users of Contoso Dental", Upn);
        await session.ScreenshotAsync("users-list");

        // A row is a container with a select action: clicking it opens the user card in place of the list.
        await OpenUserFromListAsync();
        var userCard = await WaitForAnyCardAsync("MFA registration", "Last sign-in", Upn);
        Assert.Contains("Mailbox", userCard, StringComparison.Ordinal);
        await session.ScreenshotAsync("users-user-card");

        await session.ClickButtonAsync("Account management");
        await session.ClickButtonAsync("Edit User");
        await WaitForAnyCardAsync($"Edit {DisplayName}", "Review changes");
        var jobTitleBox = session.Page.GetByRole(AriaRole.Textbox, new() { Name = "Job title", Exact = true }).Last;
        await jobTitleBox.FillAsync(jobTitle);
        await session.ScreenshotAsync("users-edit-card");

        await session.ClickButtonAsync("Review changes");
        var confirmation = await session.WaitForCardContainingAsync("Please confirm", DisplayName, jobTitle);
        Assert.Contains("jobTitle", await confirmation.InnerTextAsync(), StringComparison.Ordinal);

        await session.ClickButtonAsync("Confirm");
        var result = await session.WaitForCardContainingAsync("✓ Done", "1 of 1 succeeded", $"✓ {DisplayName}");
        await session.ScreenshotAsync("users-edit-result");
        Assert.Contains($"→ “{jobTitle}”", await result.InnerTextAsync(), StringComparison.Ordinal);

        // Read back from the tenant: a fresh listing, the user card again, the new job title on it.
        await session.SendAsync("users contosodental.com aurelio");
        await session.WaitForCardContainingAsync("Users of Contoso Dental", Upn);
        await OpenUserFromListAsync();
        var reread = await WaitForAnyCardAsync("MFA registration", Upn, jobTitle);
        Assert.Contains("Job title", reread, StringComparison.Ordinal);
    }

    private async Task OpenUserFromListAsync()
    {
        var list = session.Page.Locator(".ac-adaptiveCard").Filter(new() { HasText = "Users of Contoso Dental" }).Last;
        await list.GetByText(Upn, new() { Exact = true }).First.ClickAsync();
    }

    /// <summary>Waits until some card in the chat (new, replaced in place or expanded) contains every text.</summary>
    private async Task<string> WaitForAnyCardAsync(params string[] wanted)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> cards = [];
        while (clock.Elapsed < session.CardTimeout)
        {
            cards = await session.CardTextsAsync();
            var match = cards.LastOrDefault(c => wanted.All(w => c.Contains(w, StringComparison.OrdinalIgnoreCase)));
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"No card contains {string.Join(" and ", wanted)}; cards: {string.Join(" | ", cards.TakeLast(3))}");
    }
}
