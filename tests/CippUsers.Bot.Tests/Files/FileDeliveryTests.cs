using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CippUsers.Bot.Files;
using CippUsers.Bot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Bot.Tests.Files;

/// <summary>Files the bot sends a tech: Teams file consent (accept → chunked upload → file info card; decline; wrong
/// user; expired) and the demo-mode one-time download link.</summary>
public sealed partial class FileDeliveryTests(FilesFixture fixture) : IClassFixture<FilesFixture>
{
    private const string ConsentType = "application/vnd.microsoft.teams.card.file.consent";
    private const string InfoType = "application/vnd.microsoft.teams.card.file.info";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accept_UploadsInContentRangeChunksThenPostsTheFileInfoCard()
    {
        var bot = fixture.ConsentBot;
        var bytes = new byte[(FilesFixture.ChunkBytes * 2) + 1234];
        Random.Shared.NextBytes(bytes);
        var (offerCall, fileId) = await OfferAsync(bot, "report.csv", bytes);

        var consent = offerCall.Attachment(ConsentType)!;
        Assert.Equal("report.csv", consent["name"]!.GetValue<string>());
        Assert.Equal(bytes.Length, consent["content"]!["sizeInBytes"]!.GetValue<long>());
        Assert.Contains("kept in memory only", consent["content"]!["description"]!.GetValue<string>());
        // The contexts carry only the opaque id.
        Assert.Equal(["fileId"], consent["content"]!["acceptContext"]!.AsObject().Select(p => p.Key));
        Assert.Equal(TestConversation.PersonalWith(TestUsers.Tech).Id, offerCall.ConversationId);

        var session = Guid.NewGuid().ToString("N");
        var before = bot.Connector.Count;
        using var response = await bot.AnswerConsentAsync("accept", fileId, FileActivities.UploadInfo(new Uri(fixture.Server.BaseUri, $"upload/{session}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync(Ct));
        var info = await bot.Connector.WaitForAsync(before, c => c.Attachment(InfoType) is not null);
        var chunks = fixture.Server.Chunks.Where(c => c.Session == session).OrderBy(c => c.Start).ToList();
        Assert.Equal(
            [$"bytes 0-{FilesFixture.ChunkBytes - 1}/{bytes.Length}", $"bytes {FilesFixture.ChunkBytes}-{(2 * FilesFixture.ChunkBytes) - 1}/{bytes.Length}", $"bytes {2 * FilesFixture.ChunkBytes}-{bytes.Length - 1}/{bytes.Length}"],
            chunks.Select(c => c.ContentRange));
        Assert.Equal([FilesFixture.ChunkBytes, FilesFixture.ChunkBytes, 1234L], chunks.Select(c => c.ContentLength ?? -1));
        Assert.Equal(bytes, fixture.Server.Uploaded(session));

        var card = info.Attachment(InfoType)!;
        Assert.Equal("https://contoso-my.sharepoint.com/personal/alex/Documents/Applications/CippUsers/report.csv", card["contentUrl"]!.GetValue<string>());
        Assert.Equal("1150D938-0000-4000-8000-00000000F11E", card["content"]!["uniqueId"]!.GetValue<string>());
        Assert.Equal("csv", card["content"]!["fileType"]!.GetValue<string>());
        Assert.Equal(TestConversation.PersonalWith(TestUsers.Tech).Id, info.ConversationId);

        // Taken once: a second accept (double click after the upload) finds nothing.
        var again = await AnswerAndReadAsync(bot, "accept", fileId, fixture.Server.BaseUri);
        Assert.Contains("This file has expired", again);
    }

    [Fact]
    public async Task Decline_DropsTheFileAndSaysSo()
    {
        var bot = fixture.ConsentBot;
        var (_, fileId) = await OfferAsync(bot, "declined.csv", "a,b\r\n"u8.ToArray());

        var declined = await AnswerAndReadAsync(bot, "decline", fileId, null);
        Assert.Equal("OK, I deleted declined.csv.", declined);

        var later = await AnswerAndReadAsync(bot, "accept", fileId, fixture.Server.BaseUri);
        Assert.Contains("This file has expired", later);
    }

    [Fact]
    public async Task AcceptByAnotherTech_IsRefusedAndTheOwnerCanStillAccept()
    {
        var bot = fixture.ConsentBot;
        var (_, fileId) = await OfferAsync(bot, "mine.csv", "secret,data\r\n"u8.ToArray());
        var session = Guid.NewGuid().ToString("N");

        var before = bot.Connector.Count;
        using (var stranger = await bot.AnswerConsentAsync("accept", fileId, FileActivities.UploadInfo(new Uri(fixture.Server.BaseUri, $"upload/{session}")), TestUsers.SecondTech))
        {
            Assert.Equal(HttpStatusCode.OK, stranger.StatusCode);
        }

        Assert.Contains("offered to another tech", Assert.Single(bot.Connector.CallsSince(before)).Text);
        Assert.DoesNotContain(fixture.Server.Chunks, c => c.Session == session);

        before = bot.Connector.Count;
        using (var owner = await bot.AnswerConsentAsync("accept", fileId, FileActivities.UploadInfo(new Uri(fixture.Server.BaseUri, $"upload/{session}"))))
        {
            Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        }

        await bot.Connector.WaitForAsync(before, c => c.Attachment(InfoType) is not null);
        Assert.Equal("secret,data\r\n"u8.ToArray(), fixture.Server.Uploaded(session));
    }

    [Fact]
    public async Task UnknownFileId_SaysItExpiredAndToRunTheCommandAgain()
    {
        var text = await AnswerAndReadAsync(fixture.ConsentBot, "accept", "no-such-file-after-a-restart", fixture.Server.BaseUri);

        Assert.Equal("This file has expired (or the bot restarted since it was offered). Run the command again to get a new one.", text);
    }

    [Fact]
    public async Task UploadUrlThatIsNotOneDrive_IsRefusedAndNothingIsSent()
    {
        var bot = fixture.ConsentBot;
        var (_, fileId) = await OfferAsync(bot, "evil.csv", "x\r\n"u8.ToArray());

        var text = await AnswerAndReadAsync(bot, "accept", fileId, new Uri("https://uploads.example.com/"));

        Assert.Contains("an upload address I don't send files to", text);
        Assert.Contains("This file has expired", await AnswerAndReadAsync(bot, "accept", fileId, fixture.Server.BaseUri));
    }

    [Fact]
    public async Task UnknownConsentAction_IsAnswered400()
    {
        using var response = await fixture.ConsentBot.AnswerConsentAsync("maybe", "whatever");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DemoLink_DownloadsOnceThen404()
    {
        var bot = fixture.Bot;
        var bytes = Encoding.UTF8.GetBytes("\uFEFFname,password\r\nAnn,Secret-123\r\n");
        var before = bot.Connector.Count;
        var offer = await bot.Services.GetRequiredService<FileDelivery>()
            .OfferAsync(bot.PersonalChat(TestUsers.Tech), TestUsers.Tech.AsCaller(), "results.csv", "Bulk add results.", FileContent.FromBytes([.. bytes]), Ct);

        Assert.True(offer.AsLink);
        var message = Assert.Single(bot.Connector.CallsSince(before), c => c.Kind != "createConversation");
        Assert.Equal(TestConversation.PersonalWith(TestUsers.Tech).Id, message.ConversationId);
        Assert.Contains("kept in memory only", message.Text);
        Assert.DoesNotContain("Secret-123", message.Text);
        var link = new Uri(LinkPattern().Match(message.Text!).Groups[1].Value);
        Assert.Equal(43, link.Segments[^1].Length); // 256 random bits, base64url

        using var first = await bot.Http.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(bytes, await first.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("results.csv", first.Content.Headers.ContentDisposition?.FileName);

        using var second = await bot.Http.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        using var guessed = await bot.Http.GetAsync(new Uri(bot.BaseAddress, "files/" + new string('A', 43)), Ct);
        Assert.Equal(HttpStatusCode.NotFound, guessed.StatusCode);
    }

    [Fact]
    public async Task ConsentIds_AreNotDownloadableAsDemoLinks()
    {
        var bot = fixture.ConsentBot;
        var (_, fileId) = await OfferAsync(bot, "consent-only.csv", "x\r\n"u8.ToArray());

        using var response = await bot.Http.GetAsync(new Uri(bot.BaseAddress, "files/" + fileId), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TempFileContent_IsDeletedAfterUpload()
    {
        var bot = fixture.ConsentBot;
        var path = FileContent.NewTempFilePath("csv");
        await File.WriteAllTextAsync(path, "id\r\n1\r\n", Ct);
        var (offerCall, fileId) = await OfferAsync(bot, "export.csv", content: FileContent.FromTempFile(path));
        Assert.DoesNotContain("memory", offerCall.Attachment(ConsentType)!["content"]!["description"]!.GetValue<string>());

        var before = bot.Connector.Count;
        using var _ = await bot.AnswerConsentAsync("accept", fileId, FileActivities.UploadInfo(new Uri(fixture.Server.BaseUri, $"upload/{Guid.NewGuid():N}")));
        await bot.Connector.WaitForAsync(before, c => c.Attachment(InfoType) is not null);

        Assert.False(File.Exists(path));
    }

    private static async Task<(ConnectorCall Offer, string FileId)> OfferAsync(BotHarness bot, string name, byte[]? bytes = null, FileContent? content = null)
    {
        var before = bot.Connector.Count;
        await bot.Services.GetRequiredService<FileDelivery>()
            .OfferAsync(bot.PersonalChat(TestUsers.Tech), TestUsers.Tech.AsCaller(), name, "Test file.", content ?? FileContent.FromBytes([.. bytes!]), Ct);
        var call = Assert.Single(bot.Connector.CallsSince(before), c => c.Attachment(ConsentType) is not null);
        return (call, call.Attachment(ConsentType)!["content"]!["acceptContext"]!["fileId"]!.GetValue<string>());
    }

    private static async Task<string> AnswerAndReadAsync(BotHarness bot, string action, string fileId, Uri? uploadBase)
    {
        var before = bot.Connector.Count;
        using var response = await bot.AnswerConsentAsync(action, fileId, uploadBase is null ? null : FileActivities.UploadInfo(new Uri(uploadBase, "upload/x")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(bot.Connector.CallsSince(before)).Text!;
    }

    [GeneratedRegex(@"\((http://127\.0\.0\.1:\d+/files/[^)]+)\)")]
    private static partial Regex LinkPattern();
}
