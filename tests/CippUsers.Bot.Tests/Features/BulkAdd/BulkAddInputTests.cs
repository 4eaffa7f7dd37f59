using System.Text;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Files;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;

namespace CippUsers.Bot.Tests.Features.BulkAdd;

/// The other two ways rows arrive: a CSV file sent in the 1:1 chat while the wizard waits (Teams file.download.info,
/// downloaded from a loopback stand-in for OneDrive in demo mode), and rows added one by one on the card.
public sealed class BulkAddInputTests(ImportBotFixture fixture) : IClassFixture<ImportBotFixture>
{
    [Fact]
    public async Task CsvFileSentInChat_WhileTheWizardWaits_GivesThePreview_InUtf16WithSemicolons()
    {
        await using var server = await FileTestServer.StartAsync();
        var p = "f" + Guid.NewGuid().ToString("N")[..6];
        var chat = TestConversation.PersonalWith(TestUsers.Tech);
        var (id, activity) = await fixture.StartAsync("bulk add", fixture.Dental, chat);
        await fixture.Bot.InvokeAsync(ImportCards.OptionsVerb, new() { [ImportCards.OperationKey] = id, ["usageLocation"] = "NL" }, TestUsers.Tech, chat, activity);
        var text = $"mailNickName;displayName;City\r\n{p}a;File A;Zürich\r\n{p}b;File B;Genève\r\n";
        var url = server.Serve("users.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]);

        var replies = await fixture.Bot.SendFileAsync("users.csv", url, from: TestUsers.Tech, conversation: chat);

        var preview = Assert.Single(replies, r => r.CardText.Contains("Step 3 of 3", StringComparison.Ordinal));
        Assert.Contains($"{p}a", preview.CardText, StringComparison.Ordinal);
        Assert.Contains("Ready\n2", preview.CardText, StringComparison.Ordinal);
        await fixture.Bot.InvokeAsync(ImportCards.ConfirmVerb, new() { [ImportCards.OperationKey] = id }, TestUsers.Tech, chat, preview.ActivityId);
        var op = await fixture.WaitAsync(Guid.Parse(id), TimeSpan.FromSeconds(30));
        Assert.Equal(OperationState.Succeeded, op.State);
        var created = fixture.Emulator.State.Tenant(fixture.Dental.TenantId).FindUser($"{p}b@{SeededTenants.ContosoDentalDomain}")!;
        Assert.Equal("Genève", created["city"]!.GetValue<string>());
        Assert.Equal("NL", created["usageLocation"]!.GetValue<string>());
    }

    [Fact]
    public async Task CsvFileSentWithoutAWizard_IsAnsweredWithHowToStart()
    {
        await using var server = await FileTestServer.StartAsync();
        var url = server.Serve("stray.csv", Encoding.UTF8.GetBytes("mailNickName\r\nx\r\n"));

        var replies = await fixture.Bot.SendFileAsync("stray.csv", url, from: TestUsers.SecondTech, conversation: TestConversation.PersonalWith(TestUsers.SecondTech));

        Assert.Contains(replies, r => r.Text?.Contains("bulk add", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ManualRows_AreAddedOneByOne_AndCreated()
    {
        var p = "m" + Guid.NewGuid().ToString("N")[..6];
        var (id, activity) = await fixture.StartAsync("bulk add", fixture.Dental);
        await fixture.InvokeAsync(ImportCards.OptionsVerb, id, activity, ("usageLocation", "US"));
        var first = await fixture.InvokeAsync(ImportCards.ManualVerb, id, activity, ("givenName", "Manual"), ("surname", "One"), ("username", p + "1"));
        Assert.Contains("1 row(s) added manually", first.CardText, StringComparison.Ordinal);
        await fixture.InvokeAsync(ImportCards.ManualVerb, id, activity, ("displayName", "Manual Two"), ("username", p + "2"), ("domain", SeededTenants.ContosoDentalDomain));

        var preview = await fixture.InvokeAsync(ImportCards.PreviewVerb, id, activity);

        Assert.Contains("manual row 2", preview.CardText, StringComparison.Ordinal);
        await fixture.InvokeAsync(ImportCards.ConfirmVerb, id, activity);
        var op = await fixture.WaitAsync(Guid.Parse(id), TimeSpan.FromSeconds(30));
        Assert.Equal(OperationState.Succeeded, op.State);
        var tenant = fixture.Emulator.State.Tenant(fixture.Dental.TenantId);
        Assert.Equal("Manual One", tenant.FindUser($"{p}1@{SeededTenants.ContosoDentalDomain}")!["displayName"]!.GetValue<string>());
        Assert.NotNull(tenant.FindUser($"{p}2@{SeededTenants.ContosoDentalDomain}"));
    }
}
