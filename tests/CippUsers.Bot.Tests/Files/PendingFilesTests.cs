using CippUsers.Bot.Conversations;
using CippUsers.Bot.Files;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CippUsers.Bot.Tests.Files;

public sealed class PendingFilesTests
{
    private static readonly Caller Tech = new("tech-id", "Tech", "29:tech");
    private static readonly ConversationAddress Chat = new("http://127.0.0.1/", "a:chat", ConversationKind.Personal, "tenant", null, null, "28:bot", null);

    [Fact]
    public void DemoLink_ExpiresAfter15MinutesAndItsBytesAreWiped()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var files = new PendingFiles(time, Options.Create(new FilesOptions()));
        var bytes = "pw,Secret-1"u8.ToArray();
        var link = files.Add(PendingFileKind.Link, Tech, Chat, "r.csv", FileContent.FromBytes(bytes));

        time.Advance(TimeSpan.FromMinutes(14));
        Assert.NotNull(files.Find(link.Id, PendingFileKind.Link));
        Assert.Null(files.Find(link.Id, PendingFileKind.Consent));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(files.Find(link.Id, PendingFileKind.Link));
        Assert.All(bytes, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Sweep_DropsExpiredOffersAndDeletesTheirTempFiles()
    {
        var time = new FakeTimeProvider();
        using var files = new PendingFiles(time, Options.Create(new FilesOptions { OfferLifetime = TimeSpan.FromHours(1) }));
        var path = FileContent.NewTempFilePath("csv");
        File.WriteAllText(path, "x");
        files.Add(PendingFileKind.Consent, Tech, Chat, "a.csv", FileContent.FromTempFile(path));
        var keep = files.Add(PendingFileKind.Consent, Tech, Chat, "b.csv", FileContent.FromBytes([1]));

        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, files.Sweep());
        time.Advance(TimeSpan.FromMinutes(1));
        keep = files.Add(PendingFileKind.Consent, Tech, Chat, "c.csv", FileContent.FromBytes([1]));

        Assert.Equal(2, files.Sweep());
        Assert.False(File.Exists(path));
        Assert.Equal(1, files.Count);
        Assert.NotNull(files.Find(keep.Id, PendingFileKind.Consent));
    }
}
