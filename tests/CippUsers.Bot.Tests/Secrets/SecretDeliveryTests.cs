using System.Text;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Secrets;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Bot.Tests.Operations;

namespace CippUsers.Bot.Tests.Secrets;

[Collection(SafetyCollection.Name)]
public sealed class SecretDeliveryTests(SafetyBotFixture fixture)
{
    [Fact]
    public async Task DeliverAsync_FromAChannel_SendsTheSecretOnlyToTheRequestersPrivateChat()
    {
        var secret = $"Tap-{Guid.NewGuid():N}";
        var channel = new ConversationAddress(fixture.Bot.Connector.ServiceUrl.ToString(), TestConversation.HelpdeskChannel.Id, ConversationKind.Channel,
            TestUsers.MspTenantId, TestConversation.HelpdeskChannel.TeamId, TestConversation.HelpdeskChannel.ChannelId, fixture.Bot.BotId, "CippUsers");
        var requester = new Caller(TestUsers.Tech.AadObjectId, TestUsers.Tech.Name, TestUsers.Tech.ChannelUserId);
        var before = fixture.Bot.Connector.Count;

        var shown = await fixture.Service<SecretDelivery>().DeliverAsync(channel, requester, "Temporary Access Pass", "jane@contoso.com", secret, "Valid for 60 minutes.", TestContext.Current.CancellationToken);

        Assert.Equal($"Temporary Access Pass {SecretDelivery.SentPrivately}", shown);
        var calls = fixture.Bot.Connector.CallsSince(before);
        var carrying = calls.Where(c => c.Body.ToJsonString().Contains(secret, StringComparison.Ordinal)).ToList();
        var delivered = Assert.Single(carrying);
        Assert.Equal(TestConversation.PersonalWith(TestUsers.Tech).Id, delivered.ConversationId);
        Assert.DoesNotContain(calls, c => c.ConversationId == TestConversation.HelpdeskChannel.Id);

        // Scan every place a secret could leak to: logs, the bot database and the job database.
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        foreach (var file in Directory.EnumerateFiles(fixture.DataDirectory, "*", SearchOption.AllDirectories))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.False(Encoding.UTF8.GetString(bytes).Contains(secret, StringComparison.Ordinal), $"{Path.GetFileName(file)} holds the secret");
        }
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory, TestContext.Current.CancellationToken);
        return memory.ToArray();
    }
}
