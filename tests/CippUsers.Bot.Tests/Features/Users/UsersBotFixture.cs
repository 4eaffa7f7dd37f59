using CippUsers.Bot.Storage;
using System.Text.Json.Nodes;
using CippUsers.Bot.Access;
using CippUsers.Bot.Approvals;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Features.Users;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Bot.Tests.Features.Users;

/// The real bot over HTTP with the users feature wired to an in-process tenant emulator (all three seeded tenants,
/// the large one with 20,000 users). Tech is a helpdesk tech everywhere; SecondTech only a reader of Contoso Dental; Approver a helpdesk tech and approver everywhere.
public sealed class UsersBotFixture : EmulatorBotFixture
{
    protected override EmulatorSettings EmulatorSettings => new() { IncludeLargeTenant = true };

    protected override void Configure(BotHarnessOptions options)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Graph:Consistency:FirstDelay"] = "00:00:00.200",
            ["Graph:Consistency:MaxWait"] = "00:00:20",
            ["Access:Principals:0:Id"] = TestUsers.Tech.AadObjectId,
            ["Access:Principals:0:Roles:0"] = "helpdesk",
            ["Access:Principals:0:Tenants:0"] = "*",
            ["Access:Principals:1:Id"] = TestUsers.SecondTech.AadObjectId,
            ["Access:Principals:1:Roles:0"] = "reader",
            ["Access:Principals:1:Tenants:0"] = SeededTenants.ContosoDentalId,
            ["Access:Principals:2:Id"] = TestUsers.Approver.AadObjectId,
            ["Access:Principals:2:Roles:0"] = "helpdesk",
            ["Access:Principals:2:Roles:1"] = "approver",
            ["Access:Principals:2:Tenants:0"] = "*",
        };

        foreach (var (key, value) in settings)
        {
            options.Settings[key] = value;
        }
    }

    /// Polls the operation until it reaches a terminal state; fails the test with its state after <paramref name="timeout"/>.
    public async Task<PendingOperation> WaitForEndAsync(Guid id, TimeSpan timeout, CancellationToken ct)
    {
        var store = Get<PendingOperationStore>();
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            var op = (await store.GetAsync(id, ct))!;
            if (op.IsTerminal)
            {
                return op;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Still {op.State}.");
            await Task.Delay(100, ct);
        }
    }

    /// The data of the first Action.Execute with this verb (and title, when given) anywhere in the card.
    public static JsonObject ActionData(JsonNode card, string verb, string? title = null)
        => Actions(card).First(a => a["verb"]?.GetValue<string>() == verb && (title is null || a["title"]?.GetValue<string>() == title))["data"]!.AsObject().DeepClone().AsObject();

    public static IEnumerable<JsonObject> Actions(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"]?.GetValue<string>() == "Action.Execute")
                {
                    yield return obj;
                }

                foreach (var (key, child) in obj)
                {
                    if (key == "fallback")
                    {
                        continue;
                    }

                    foreach (var found in Actions(child))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    foreach (var found in Actions(child))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }

    /// The rows of a users list card: the texts of each row container, in order.
    public static IReadOnlyList<IReadOnlyList<string>> Rows(JsonObject card)
        => [.. card["body"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["type"]?.GetValue<string>() == "Container" && e["selectAction"]?["verb"]?.GetValue<string>() == UsersVerbs.Open)
            .Select(e => (IReadOnlyList<string>)[.. e["items"]![0]!["columns"]!.AsArray().Select(c => c!["items"]![0]!["text"]!.GetValue<string>())])];
}
