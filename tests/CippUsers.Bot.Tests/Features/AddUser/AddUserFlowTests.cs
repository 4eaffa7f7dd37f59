using System.Text.Json.Nodes;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Bot.Tests.Features.AddUser;

/// The real bot (Kestrel, /api/messages, fake Teams connector) with storage, jobs, safety and Add User, talking to the
/// tenant emulator over loopback HTTPS.
public sealed class AddUserBotFixture : EmulatorBotFixture
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("cippusers-adduser-").FullName;

    public EmulatedTenantInfo Tenant => Emulator.Tenants[0];

    protected override void Configure(BotHarnessOptions options)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:SqlitePath"] = Path.Combine(dataDirectory, "bot.db"),
            ["Jobs:QueuePollInterval"] = "00:00:00.200",
            ["Access:Principals:0:Id"] = TestUsers.Tech.AadObjectId,
            ["Access:Principals:0:Name"] = TestUsers.Tech.Name,
            ["Access:Principals:0:Roles:0"] = "helpdesk",
            ["Access:Principals:0:Tenants:0"] = "*",
            ["Access:Principals:1:Id"] = TestUsers.SecondTech.AadObjectId,
            ["Access:Principals:1:Name"] = TestUsers.SecondTech.Name,
            ["Access:Principals:1:Roles:0"] = "admin",
            ["Access:Principals:1:Tenants:0"] = "*",
        };

        foreach (var (key, value) in settings)
        {
            options.Settings[key] = value;
        }
    }
}

/// Add User end to end over HTTP: command with prefill → card → submit (validation) → confirm → job → emulator user,
/// result card, password only in the tech's 1:1 chat.
public sealed class AddUserFlowTests(AddUserBotFixture fixture) : IClassFixture<AddUserBotFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prefill_Submit_Confirm_CreatesTheUser_AndThePasswordStaysOutOfTheChannel()
    {
        var tenant = fixture.Tenant;
        var channel = TestConversation.HelpdeskChannel;
        var alias = "n" + Guid.NewGuid().ToString("N")[..8];

        var replies = await fixture.Bot.SendAsync($"add user {tenant.DefaultDomain} givenName=Nina surname=Test mailNickname={alias} city=New%20York favouriteColour=blue", TestUsers.Tech, channel);
        var form = Assert.Single(replies, r => r.Cards.Count == 1);
        Assert.Contains("favouriteColour", form.CardText, StringComparison.Ordinal);
        Assert.Equal("New York", Input(form.Card, AddUserForm.City)?["value"]?.GetValue<string>());
        Assert.Equal(alias, Input(form.Card, AddUserForm.Username)?["value"]?.GetValue<string>());

        // A bad usage location is refused on the card, by field, before anything is sent.
        var bad = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb, Submit(tenant, alias, ("usageLocation", "Netherlands")), TestUsers.Tech, channel, form.ActivityId);
        Assert.Contains("two-letter country code", bad.CardText, StringComparison.Ordinal);
        Assert.Null(fixture.Emulator.State.Tenant(tenant.TenantId).FindUser($"{alias}@{tenant.DefaultDomain}"));

        var confirmCard = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb, Submit(tenant, alias, ("usageLocation", "US"), ("jobTitle", "Nurse")), TestUsers.Tech, channel, form.ActivityId);
        var operationId = confirmCard.Card["actions"]!.AsArray().First(a => a!["verb"]?.GetValue<string>() == AddUserCards.ConfirmVerb)!["data"]!["operationId"]!.GetValue<string>();

        var running = await fixture.Bot.InvokeAsync(AddUserCards.ConfirmVerb, new JsonObject { ["operationId"] = operationId }, TestUsers.Tech, channel, form.ActivityId);
        Assert.True(running.IsCard);

        var op = await WaitAsync(Guid.Parse(operationId));
        Assert.Equal(OperationState.Succeeded, op.State);
        var created = fixture.Emulator.State.Tenant(tenant.TenantId).FindUser($"{alias}@{tenant.DefaultDomain}");
        Assert.NotNull(created);
        Assert.Equal("Nina Test", created["displayName"]!.GetValue<string>());
        Assert.Equal("New York", created["city"]!.GetValue<string>());
        Assert.Equal("Nurse", created["jobTitle"]!.GetValue<string>());
        Assert.Equal("US", created["usageLocation"]!.GetValue<string>());

        // The result card replaced the form in the channel; the password went to another (1:1) conversation only.
        await WaitUntilAsync(() => fixture.Bot.Connector.Calls.Any(c => c.Kind == "update" && c.TargetActivityId == form.ActivityId && c.CardText.Contains("✓ Create", StringComparison.Ordinal)));
        var secretCall = fixture.Bot.Connector.Calls.Single(c => c.CardText.Contains("Password for " + alias, StringComparison.OrdinalIgnoreCase));
        Assert.NotEqual(channel.Id, secretCall.ConversationId);
        var password = secretCall.Card["body"]!.AsArray()[1]!["text"]!.GetValue<string>();
        Assert.True(password.Length >= 14);
        Assert.DoesNotContain(fixture.Bot.Connector.Calls.Where(c => c.ConversationId == channel.Id), c => c.Body.ToJsonString().Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(password, op.Parameters.ToJsonString(), StringComparison.Ordinal);

        // Audited: the confirmation and the outcome for the new user, without the password.
        var audit = await fixture.Bot.Services.GetRequiredService<AuditLog>().QueryAsync(tenant.TenantId, null, 1000, TestContext.Current.CancellationToken);
        Assert.Contains(audit, e => e.OperationId == op.Id && e.Outcome == "confirmed");
        Assert.Contains(audit, e => e.OperationId == op.Id && e.Outcome == "succeeded" && e.TargetId == created["id"]!.GetValue<string>());
        Assert.DoesNotContain(audit, e => System.Text.Json.JsonSerializer.Serialize(e).Contains(password, StringComparison.Ordinal));
    }

    private static JsonObject? Input(JsonObject card, string id) =>
        card["body"]!.AsArray().Select(e => e as JsonObject).FirstOrDefault(e => e?["id"]?.GetValue<string>() == id);

    private static JsonObject Submit(EmulatedTenantInfo tenant, string alias, params (string Key, string Value)[] extra)
    {
        var data = new JsonObject
        {
            ["tenantId"] = tenant.TenantId,
            ["givenName"] = "Nina",
            ["surname"] = "Test",
            ["username"] = alias,
            ["domain"] = tenant.DefaultDomain,
            ["city"] = "New York",
            ["passwordMode"] = "generated",
            ["mustChangeAtNextLogon"] = "true",
        };
        foreach (var (k, v) in extra)
        {
            data[k] = v;
        }

        return data;
    }

    private async Task<PendingOperation> WaitAsync(Guid id)
    {
        var store = fixture.Bot.Services.GetRequiredService<PendingOperationStore>();
        PendingOperation? op = null;
        await WaitUntilAsync(() => (op = store.GetAsync(id, Ct).GetAwaiter().GetResult())!.IsTerminal);
        Assert.True(op!.State == OperationState.Succeeded, string.Join("; ", op.Results.Select(r => $"{r.DisplayName}: {r.Message}")));
        return op;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "Timed out waiting.");
            await Task.Delay(100, Ct);
        }
    }
}
