using System.Text;
using CippUsers.Bot.Tests.Infrastructure;

namespace CippUsers.Bot.Tests.Files;

/// <summary>Files a tech sends the bot in the 1:1 chat, through the real bot over HTTP.</summary>
public sealed class InboundFileTests(FilesFixture fixture) : IClassFixture<FilesFixture>
{
    private BotHarness Bot => fixture.Bot;

    [Fact]
    public async Task CsvFromLoopback_IsDownloadedAndHandedToTheFileRoute()
    {
        var url = fixture.Server.Serve("users-ok.csv", Encoding.UTF8.GetBytes("displayName,upn\nAnn,ann@contoso.com\nBob,bob@contoso.com\n"));

        var reply = Assert.Single(await Bot.SendFileAsync("users.csv", url, text: "bulk add contoso"));

        Assert.Equal("read users.csv (csv, 56 bytes, 3 lines) with text 'bulk add contoso': displayName,upn", reply.Text);
    }

    [Theory]
    [InlineData("https://files.example.com/users.csv")]
    [InlineData("https://contoso.sharepoint.com.example.com/users.csv")]
    [InlineData("http://contoso-my.sharepoint.com/users.csv")]
    [InlineData("https://user:pass@contoso-my.sharepoint.com/users.csv")]
    [InlineData("file:///etc/passwd")]
    public async Task HostThatIsNotOneDriveOrSharePoint_IsRefusedWithoutFetching(string url)
    {
        var reply = Assert.Single(await Bot.SendFileAsync("users.csv", url));

        Assert.StartsWith("refused: ", reply.Text);
        Assert.Contains("only read files that Teams stored in OneDrive or SharePoint", reply.Text);
    }

    [Fact]
    public async Task RedirectToAnotherHost_IsRefused()
    {
        var url = new Uri(fixture.Server.BaseUri, "redirect?to=" + Uri.EscapeDataString("https://files.example.com/users.csv")).ToString();

        var reply = Assert.Single(await Bot.SendFileAsync("users.csv", url));

        Assert.Contains("somewhere I don't fetch files from", reply.Text);
    }

    [Fact]
    public async Task RedirectToAnAllowedHost_IsFollowed()
    {
        var target = fixture.Server.Serve("redirected.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n"));
        var url = new Uri(fixture.Server.BaseUri, "redirect?to=" + Uri.EscapeDataString(target)).ToString();

        var reply = Assert.Single(await Bot.SendFileAsync("users.csv", url));

        Assert.StartsWith("read users.csv (csv, 8 bytes, 2 lines)", reply.Text);
    }

    [Fact]
    public async Task OversizeFileWithContentLength_IsRefusedWithTheLimit()
    {
        var url = fixture.Server.Serve("big.csv", new byte[FilesFixture.InboundLimit + 1]);

        var reply = Assert.Single(await Bot.SendFileAsync("big.csv", url));

        Assert.Equal("refused: \"big.csv\" is too large: I accept files up to 64 KB.", reply.Text);
    }

    [Fact]
    public async Task OversizeStreamWithoutContentLength_IsStoppedAtTheLimit()
    {
        // 100 MB would take a while to buffer; the bot must stop reading at 64 KB.
        var url = new Uri(fixture.Server.BaseUri, "stream/104857600").ToString();

        var reply = Assert.Single(await Bot.SendFileAsync("huge.csv", url));

        Assert.Equal("refused: \"huge.csv\" is too large: I accept files up to 64 KB.", reply.Text);
    }

    [Fact]
    public async Task FileExactlyAtTheLimit_IsAccepted()
    {
        var url = new Uri(fixture.Server.BaseUri, $"stream/{FilesFixture.InboundLimit}").ToString();

        var reply = Assert.Single(await Bot.SendFileAsync("edge.csv", url));

        Assert.StartsWith($"read edge.csv (csv, {FilesFixture.InboundLimit} bytes", reply.Text);
    }

    [Fact]
    public async Task MissingFile_SaysTheDownloadFailed()
    {
        var url = new Uri(fixture.Server.BaseUri, "download/nothing.csv").ToString();

        var reply = Assert.Single(await Bot.SendFileAsync("nothing.csv", url));

        Assert.Equal("refused: I could not download \"nothing.csv\" (HTTP 404). Please send it again.", reply.Text);
    }

    [Fact]
    public async Task FileInAGroupChatOrChannel_IsAnsweredWithThePersonalChatOnlyRule()
    {
        var before = fixture.Server.Downloads;
        var url = fixture.Server.Serve("group.csv", "a\n"u8.ToArray());

        var group = Assert.Single(await Bot.SendFileAsync("group.csv", url, conversation: TestConversation.GroupChat));
        var channel = Assert.Single(await Bot.SendFileAsync("group.csv", url, conversation: TestConversation.HelpdeskChannel));

        Assert.Contains("Files work only in our 1:1 chat", group.Text);
        Assert.Contains("Files work only in our 1:1 chat", channel.Text);
        Assert.Equal(before, fixture.Server.Downloads);
    }

    [Fact]
    public async Task FileTypeNobodyHandles_ListsTheAcceptedTypes()
    {
        var url = fixture.Server.Serve("report.pdf", "%PDF"u8.ToArray());

        var reply = Assert.Single(await Bot.SendFileAsync("report.pdf", url));

        Assert.Equal("I can't do anything with a .pdf file. File types I accept: .csv.", reply.Text);
    }

    [Fact]
    public async Task FileTypeFallsBackToTheNameAndIgnoresCase()
    {
        var url = fixture.Server.Serve("upper.csv", "x\n"u8.ToArray());

        var reply = Assert.Single(await Bot.SendFileAsync("USERS.CSV", url, fileType: ""));

        Assert.StartsWith("read USERS.CSV (csv, 2 bytes", reply.Text);
    }
}
