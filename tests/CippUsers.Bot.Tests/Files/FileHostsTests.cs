using CippUsers.Bot.Files;
using CippUsers.Bot.Hosting;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Tests.Files;

public sealed class FileHostsTests
{
    private static FileHosts Hosts(bool demo) => new(
        Options.Create(new FilesOptions()),
        Options.Create(new BotAuthenticationOptions { MicrosoftAppId = demo ? null : "6a1f0c2e-0000-4000-8000-00000000b07a" }));

    [Theory]
    [InlineData("https://contoso-my.sharepoint.com/personal/ann/_layouts/15/download.aspx?UniqueId=x&tempauth=y")]
    [InlineData("https://contoso.sharepoint-df.com/x")]
    [InlineData("https://agency.sharepoint.us/x")]
    [InlineData("https://api.onedrive.com/v1.0/drives/1/items/2/uploadSession?guid=x")]
    [InlineData("https://contoso-my.SharePoint.com/x")]
    [InlineData("https://public.by.files.1drv.com/y4m")]
    public void OneDriveAndSharePointOverHttps_AreAllowedInProduction(string url)
        => Assert.True(Hosts(demo: false).IsAllowed(url, out _));

    [Theory]
    [InlineData("http://contoso-my.sharepoint.com/x")]
    [InlineData("https://contoso-my.sharepoint.com:8443/x")]
    [InlineData("https://sharepoint.com.evil.example/x")]
    [InlineData("https://evilsharepoint.com/x")]
    [InlineData("https://user@contoso-my.sharepoint.com/x")]
    [InlineData("http://127.0.0.1:5000/files/x")]
    [InlineData("http://localhost/x")]
    [InlineData("http://[::1]/x")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("not a url")]
    public void EverythingElse_IsRefusedInProduction(string url)
        => Assert.False(Hosts(demo: false).IsAllowed(url, out _));

    [Theory]
    [InlineData("http://127.0.0.1:5000/files/x")]
    [InlineData("http://localhost:3978/x")]
    [InlineData("http://[::1]:3978/x")]
    public void Loopback_IsAllowedOnlyInDemoMode(string url)
        => Assert.True(Hosts(demo: true).IsAllowed(url, out _));
}
