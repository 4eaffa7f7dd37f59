using System.Text.Json.Nodes;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Tests.Infrastructure;

namespace CippUsers.Bot.Tests.Operations;

/// Steps shared by the safety-core flow tests: type a command, read the operation id off its confirmation card, wait.
internal static class OperationFlow
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// Only what this turn sent: background jobs of other tests update their own cards meanwhile.
    public static async Task<IReadOnlyList<ConnectorCall>> SendOwnAsync(BotHarness bot, string text, TestUser from, TestConversation? conversation = null)
        => [.. (await bot.SendAsync(text, from, conversation))
            .Where(c => c.Kind != "update" && c.ConversationId == (conversation ?? TestConversation.PersonalWith(from)).Id)];

    /// Types <paramref name="text"/> and returns the confirmation card and the operation id its Confirm button carries.
    public static async Task<(ConnectorCall Card, Guid OperationId)> RequestAsync(BotHarness bot, string text, TestUser from)
    {
        var replies = await SendOwnAsync(bot, text, from);
        var cards = replies.Where(r => r.Cards.Count == 1).ToList();
        Assert.True(cards.Count == 1, $"Expected one card for “{text}”, got: {string.Join(" | ", replies.Select(r => r.Text ?? r.CardText))}");
        var card = cards[0];
        var data = card.Card["actions"]?.AsArray().FirstOrDefault(a => a!["verb"]?.GetValue<string>() == OperationVerbs.Confirm)?["data"];
        Assert.True(data is not null, $"No confirmation card: {card.CardText}");
        Assert.Equal(["operationId"], data.AsObject().Select(p => p.Key));
        return (card, Guid.Parse(data["operationId"]!.GetValue<string>()));
    }

    public static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    public static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "Timed out waiting.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public static JsonObject Data(Guid id) => new() { ["operationId"] = id.ToString() };

    public static string Upn(JsonObject user) => user["userPrincipalName"]!.GetValue<string>();

    public static string Id(JsonObject user) => user["id"]!.GetValue<string>();
}
