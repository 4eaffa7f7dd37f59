using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Bot.Tests.Features.BulkAdd;

/// The real bot (Kestrel, /api/messages, fake Teams connector, demo file links) with storage, jobs and the import
/// features, talking to the tenant emulator over loopback HTTPS. Contoso Dental keeps Graph's default write budget;
/// Fabrikam Logistics gets a large one (the 5,000-row test); the library's own budget is raised to match.
public partial class ImportBotFixture : EmulatorBotFixture
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("cippusers-bulk-").FullName;

    private int lastRunStart;

    public EmulatedTenantInfo Dental => Emulator.Tenants.First(t => t.TenantId == SeededTenants.ContosoDentalId);

    public EmulatedTenantInfo Fabrikam => Emulator.Tenants.First(t => t.TenantId == SeededTenants.FabrikamLogisticsId);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override EmulatorSettings EmulatorSettings
    {
        get
        {
            var settings = new EmulatorSettings { IncludeLargeTenant = false };
            settings.TenantRealism[SeededTenants.FabrikamLogisticsId] = new RealismSettings { WriteBudget = 1_000_000 };
            return settings;
        }
    }

    /// A derived fixture changes settings after calling this.
    protected override void Configure(BotHarnessOptions options)
    {
        options.Settings["Storage:Provider"] = "Sqlite";
        options.Settings["Storage:SqlitePath"] = Path.Combine(dataDirectory, "bot.db");
        options.Settings["Jobs:QueuePollInterval"] = "00:00:00.200";
        options.Settings["Graph:WriteBudget:Writes"] = "1000000";
        options.Settings["Approvals:BulkThreshold"] = "100000";
        options.Settings["Access:Principals:0:Id"] = TestUsers.Tech.AadObjectId;
        options.Settings["Access:Principals:0:Name"] = TestUsers.Tech.Name;
        options.Settings["Access:Principals:0:Roles:0"] = "helpdesk";
        options.Settings["Access:Principals:0:Tenants:0"] = "*";
        options.Settings["Access:Principals:1:Id"] = TestUsers.Approver.AadObjectId;
        options.Settings["Access:Principals:1:Roles:0"] = "approver";
        options.Settings["Access:Principals:1:Roles:1"] = "helpdesk";
        options.Settings["Access:Principals:1:Tenants:0"] = "*";
    }

    /// `bulk add|bulk invite <tenant>` in the tech's 1:1 chat: the operation id and the wizard card's activity id.
    public async Task<(string OperationId, string ActivityId)> StartAsync(string command, EmulatedTenantInfo tenant, TestConversation? conversation = null)
    {
        var replies = await Bot.SendAsync($"{command} {tenant.DefaultDomain}", TestUsers.Tech, conversation ?? Conversation);
        // Only the wizard's first card: a results card of an earlier import may be edited in the same moment.
        var card = Assert.Single(replies, r => r.Kind != "update" && r.Cards.Count == 1 && r.CardText.Contains("Step 1 of 3", StringComparison.Ordinal));
        return (OperationIdOf(card.Card), card.ActivityId);
    }

    /// Where the wizard runs (the helpdesk channel: secrets must never show up there).
    public TestConversation Conversation { get; } = TestConversation.HelpdeskChannel;

    public Task<InvokeResult> InvokeAsync(string verb, string operationId, string activityId, params (string Key, string Value)[] values)
    {
        var data = new JsonObject { [ImportCards.OperationKey] = operationId };
        foreach (var (key, value) in values)
            data[key] = value;
        return Bot.InvokeAsync(verb, data, TestUsers.Tech, Conversation, activityId);
    }

    /// Options (usage location US for users) → paste → the preview card.
    public async Task<InvokeResult> PreviewAsync(string command, EmulatedTenantInfo tenant, string csv, params (string Key, string Value)[] options)
    {
        var (id, activity) = await StartAsync(command, tenant);
        var rows = await InvokeAsync(ImportCards.OptionsVerb, id, activity, options);
        Assert.True(rows.IsCard, rows.ToString());
        return await InvokeAsync(ImportCards.PreviewVerb, id, activity, (ImportCards.CsvInput, csv));
    }

    /// The whole path: preview, confirm, wait for the job; returns the finished operation.
    public async Task<(PendingOperation Op, InvokeResult Preview)> RunAsync(string command, EmulatedTenantInfo tenant, string csv, TimeSpan? patience = null, params (string Key, string Value)[] options)
    {
        lastRunStart = Bot.Connector.Count;
        var preview = await PreviewAsync(command, tenant, csv, options);
        Assert.True(preview.IsCard, preview.ToString());
        var id = OperationIdOf(preview.Card);
        var progress = await InvokeAsync(ImportCards.ConfirmVerb, id, "activity-card");
        Assert.True(progress.IsCard, progress.ToString());
        return (await WaitAsync(Guid.Parse(id), patience ?? TimeSpan.FromSeconds(60)), preview);
    }

    public async Task<PendingOperation> WaitAsync(Guid id, TimeSpan patience)
    {
        var store = Bot.Services.GetRequiredService<PendingOperationStore>();
        var deadline = TimeProvider.System.GetUtcNow() + patience;
        while (true)
        {
            var op = await store.GetAsync(id, Ct);
            if (op!.IsTerminal)
                return op;
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Timed out waiting for the import; it is {op.State}.");
            await Task.Delay(100, Ct);
        }
    }

    internal Task<IReadOnlyList<StoredRow>> RowsAsync(Guid id) => Bot.Services.GetRequiredService<ImportRowStore>().ListAsync(id, Ct);

    /// The results file offered (as a demo download link) in the tech's 1:1 chat for <paramref name="fileNameStart"/>.
    public async Task<string> DownloadResultsAsync(string fileNameStart)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(20);
        ConnectorCall? offer;
        while ((offer = Bot.Connector.CallsSince(lastRunStart).LastOrDefault(c => c.Text?.Contains("**" + fileNameStart, StringComparison.Ordinal) == true)) is null)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "No results file was offered.");
            await Task.Delay(100, Ct);
        }
        Assert.NotEqual(Conversation.Id, offer.ConversationId);
        Assert.StartsWith("a:personal-", offer.ConversationId, StringComparison.Ordinal);
        var link = new Uri(LinkPattern().Match(offer.Text!).Groups[1].Value);
        using var response = await Bot.Http.GetAsync(link, Ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(Ct);
    }

    public static string OperationIdOf(JsonObject card)
    {
        var ids = new HashSet<string>();
        Collect(card);
        return Assert.Single(ids);

        void Collect(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                if (obj["type"]?.GetValue<string>() == "Action.Execute" && obj["data"]?[ImportCards.OperationKey] is JsonValue id)
                    ids.Add(id.GetValue<string>());
                foreach (var (_, child) in obj)
                    Collect(child);
            }
            else if (node is JsonArray array)
            {
                foreach (var child in array)
                    Collect(child);
            }
        }
    }

    [GeneratedRegex(@"\((http://127\.0\.0\.1:\d+/files/[^)]+)\)")]
    private static partial Regex LinkPattern();
}
