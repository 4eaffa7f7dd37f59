using System.Text.Json.Nodes;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Bot.Tests.Features.AddUser;

/// Shared steps of the Add User bot tests: read card inputs, fill and submit the form, confirm, wait for the job.
internal static class AddUserTestKit
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// The input (anywhere in the card) with this id, or null.
    public static JsonObject? Input(JsonNode? card, string id) => All(card).FirstOrDefault(o => o["id"]?.GetValue<string>() == id && o["type"]?.GetValue<string>()?.StartsWith("Input.", StringComparison.Ordinal) == true);

    public static string? Value(JsonNode? card, string id) => Input(card, id)?["value"]?.GetValue<string>();

    public static IReadOnlyList<string> ChoiceValues(JsonNode? card, string id) =>
        Input(card, id)?["choices"]?.AsArray().Select(c => c!["value"]!.GetValue<string>()).ToList() ?? [];

    public static IEnumerable<JsonObject> All(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var (_, child) in o)
                    foreach (var inner in All(child))
                        yield return inner;
                break;
            case JsonArray a:
                foreach (var child in a)
                    foreach (var inner in All(child))
                        yield return inner;
                break;
        }
    }

    /// The action (Action.Execute) with this verb.
    public static JsonObject Button(JsonNode? card, string verb, Func<JsonObject, bool>? where = null) =>
        All(card).First(o => o["type"]?.GetValue<string>() == "Action.Execute" && o["verb"]?.GetValue<string>() == verb && (where?.Invoke(o) ?? true));

    /// A submit of the Add User card: the minimum fields plus <paramref name="extra"/>.
    public static JsonObject Form(EmulatedTenantInfo tenant, string username, params (string Key, string Value)[] extra)
    {
        var data = new JsonObject
        {
            ["tenantId"] = tenant.TenantId,
            [AddUserForm.GivenName] = "Test",
            [AddUserForm.Surname] = username,
            [AddUserForm.Username] = username,
            [AddUserForm.Domain] = tenant.DefaultDomain,
            [AddUserForm.PasswordMode] = "generated",
            [AddUserForm.MustChangePass] = "true",
        };
        foreach (var (k, v) in extra)
            data[k] = v;
        return data;
    }

    public static string NewUsername(string prefix = "u") => prefix + Guid.NewGuid().ToString("N")[..8];

    /// Submits the form and returns the operation id from the confirmation card (fails if the card shows errors).
    public static async Task<Guid> SubmitAsync(BotHarness bot, JsonObject form, TestConversation? conversation = null, string? replyToId = null)
    {
        var card = await bot.InvokeAsync(AddUserCards.SubmitVerb, form, TestUsers.Tech, conversation ?? TestConversation.HelpdeskChannel, replyToId);
        var confirm = All(card.Card).FirstOrDefault(o => o["verb"]?.GetValue<string>() == AddUserCards.ConfirmVerb)
            ?? throw new InvalidOperationException("No confirmation card: " + card.CardText);
        return Guid.Parse(confirm["data"]!["operationId"]!.GetValue<string>());
    }

    public static Task<InvokeResult> ConfirmAsync(BotHarness bot, Guid operationId, TestConversation? conversation = null, string? replyToId = null, JsonObject? extra = null)
    {
        var data = extra?.DeepClone().AsObject() ?? [];
        data["operationId"] = operationId.ToString();
        return bot.InvokeAsync(AddUserCards.ConfirmVerb, data, TestUsers.Tech, conversation ?? TestConversation.HelpdeskChannel, replyToId);
    }

    /// Waits until the operation reaches a terminal state and returns it.
    public static async Task<PendingOperation> FinishedAsync(IServiceProvider services, Guid id, TimeSpan? patience = null)
    {
        var store = services.GetRequiredService<PendingOperationStore>();
        var deadline = TimeProvider.System.GetUtcNow() + (patience ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var op = await store.GetAsync(id, Ct);
            if (op is { IsTerminal: true })
                return op;
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Operation {id} is still {op?.State}.");
            await Task.Delay(100, Ct);
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "Timed out waiting for " + what);
            await Task.Delay(100, Ct);
        }
    }
}
