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

        // The results file (with the passwords) goes to the private chat as a file; nothing of it shows in this chat.
        await Task.Delay(1000);
        var page = await session.PageTextAsync();
        Assert.DoesNotContain("objectId,password", page, StringComparison.Ordinal);
        Assert.DoesNotContain(",Succeeded,Created,", page, StringComparison.Ordinal);
        Assert.DoesNotMatch(ResultLine(), page);
    }

    // A results line: line,outcome,reason,upn,displayName,objectId,password.
    [GeneratedRegex(@"\d+,Succeeded,[^,\n]*,e2e[0-9a-f]+\d+@contosodental\.com,")]
    private static partial Regex ResultLine();
}
