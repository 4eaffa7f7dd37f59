using System.Text;
using System.Text.RegularExpressions;
using CippUsers.E2E.Infrastructure;

namespace CippUsers.E2E;

/// <summary>
/// Bulk Add Users through the Playground, as the demo's helpdesk tech: `bulk add` → usage location → paste a 20-row
/// CSV → preview → Create → durable job → results card. The generated passwords are only in the results file (a
/// one-time demo download link in the chat), never in the chat itself.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed partial class BulkAddTests(PlaygroundSession session)
{
    [Fact]
    public async Task Pasted_csv_of_twenty_users_runs_to_the_results_card_without_passwords_in_the_chat()
    {
        var prefix = "e2e" + Guid.NewGuid().ToString("N")[..5];
        var csv = new StringBuilder("givenName,surName,mailNickName,domain,JobTitle\n");
        for (var i = 0; i < 20; i++)
            csv.Append($"Bulk{i},Tester,{prefix}{i},contosodental.com,Nurse\n");

        await session.OpenChatAsync(PlaygroundSession.PersonalChat);
        await session.SendAsync("bulk add contosodental.com");
        await session.WaitForCardContainingAsync("Bulk add users in Contoso Dental", "Step 1 of 3");
        await session.ClickButtonAsync("Next");
        await session.WaitForCardContainingAsync("Step 2 of 3");
        await session.FillCardTextAreaAsync("CSV", csv.ToString());
        await session.ClickButtonAsync("Preview");
        var preview = await session.WaitForCardContainingAsync("Step 3 of 3", "Ready", $"{prefix}0");
        Assert.Contains("20", await preview.InnerTextAsync(), StringComparison.Ordinal);
        await session.ScreenshotAsync("bulk-add-preview");

        session.CardTimeout = TimeSpan.FromSeconds(90);
        await session.ClickButtonAsync("Create 20 user(s)");
        var result = await session.WaitForCardContainingAsync("finished", "Succeeded", "private chat");
        await session.ScreenshotAsync("bulk-add-result");
        Assert.Contains("20", await result.InnerTextAsync(), StringComparison.Ordinal);

        // The results file: its passwords appear nowhere in the chat.
        string page = "";
        Match link = Match.Empty;
        for (var i = 0; i < 40 && !(link = LinkPattern().Match(page = await session.PageTextAsync())).Success; i++)
            await Task.Delay(250);
        var href = await session.Page.Locator("a[href*='/files/']").Last.GetAttributeAsync("href");
        Assert.NotNull(href);
        using var http = new HttpClient();
        var file = await http.GetStringAsync(new Uri(href));
        var lines = file.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(21, lines.Length);
        var passwords = lines.Skip(1).Select(l => l.Split(',')[^1]).ToList();
        Assert.All(passwords, p => Assert.True(p.Length >= 12));
        page = await session.PageTextAsync();
        Assert.All(passwords, p => Assert.DoesNotContain(p, page, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"bulk-add-[^\s]*\.csv")]
    private static partial Regex LinkPattern();
}
