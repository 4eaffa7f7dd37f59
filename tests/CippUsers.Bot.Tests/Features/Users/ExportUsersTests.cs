using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CippUsers.Bot.Features.Users;
using CippUsers.Bot.Files;
using CippUsers.Bot.Tests.Files;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;
using CippUsers.TenantEmulator;

namespace CippUsers.Bot.Tests.Features.Users;

/// `export users <tenant>` end to end: the command, the Hangfire job paging through the emulator, the progress card,
/// and the CSV file (demo mode: a one-time download link) checked row by row against the emulator's users.
public sealed partial class ExportUsersTests(UsersBotFixture fixture) : IClassFixture<UsersBotFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BotHarness Bot => fixture.Bot;

    private static string[] ExpectedHeader(bool withSignIns) =>
        [.. UserExport.Properties, .. withSignIns ? [UserExport.SignInActivity] : Array.Empty<string>(), ExportCsv.LicensesColumn];

    [Fact]
    public async Task ContosoDental_EveryUserAndEveryColumnMatchesTheTenant()
    {
        var tenant = fixture.Emulator.State.Tenant(SeededTenants.ContosoDentalId);
        var (card, rows) = await ExportAsync($"export users {SeededTenants.ContosoDentalDomain}", TestUsers.Tech);

        // Contoso Dental has no Entra ID P1/P2: Graph refuses signInActivity and the export goes on without it.
        Assert.Equal(ExpectedHeader(withSignIns: false), rows[0]);
        var header = rows[0];
        var byId = rows.Skip(1).ToDictionary(r => r[0]);
        var users = tenant.Users();
        Assert.Equal(SeededTenants.ContosoDentalUsers, users.Count);
        Assert.Equal(users.Count, byId.Count);
        var skus = tenant.SubscribedSkus().ToDictionary(s => s["skuId"]!.GetValue<string>(), s => s["skuPartNumber"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        foreach (var user in users)
        {
            var row = byId[user["id"]!.GetValue<string>()];
            Assert.Equal(header.Length, row.Length);
            for (var i = 0; i < UserExport.Properties.Count; i++)
            {
                Assert.True((Expected(user[header[i]]) ?? "") == row[i], $"{header[i]} of {user["userPrincipalName"]}: expected '{Expected(user[header[i]])}', got '{row[i]}'");
            }

            var licenses = (user["assignedLicenses"] as JsonArray ?? []).Select(l => skus[l!["skuId"]!.GetValue<string>()]).Order(StringComparer.OrdinalIgnoreCase);
            Assert.Equal(string.Join("; ", licenses), row[^1]);
        }

        Assert.Contains($"Exported {SeededTenants.ContosoDentalUsers} users of", card);
        Assert.Contains("Last sign-in (signInActivity) is not included", card);
    }

    [Fact]
    public async Task Fabrikam_300UsersInOneFile()
    {
        var expected = fixture.Emulator.State.Tenant(SeededTenants.FabrikamLogisticsId).Users().Select(u => u["id"]!.GetValue<string>()).ToHashSet();

        var (_, rows) = await ExportAsync($"export {SeededTenants.FabrikamLogisticsDomain}", TestUsers.Tech);

        Assert.Equal(ExpectedHeader(withSignIns: true), rows[0]);
        Assert.Equal(SeededTenants.FabrikamLogisticsUsers + 1, rows.Count);
        Assert.Equal(expected, rows.Skip(1).Select(r => r[0]).ToHashSet());
    }

    [Fact]
    public async Task LargeTenant_20000UsersArriveAndAreWrittenOnePageAtATime()
    {
        var tenantId = SeededTenants.NorthwindHealthId;
        var expected = fixture.Emulator.State.Tenant(tenantId).Users().Select(u => u["id"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(20_000, expected.Count);

        // The library: one page in hand at a time, each appended to the file (which grows) before the next is read.
        var path = FileContent.NewTempFilePath("csv");
        var pageSizes = new List<int>();
        var fileSizes = new List<long>();
        long rows = 0;
        try
        {
            await using var stream = new FileStream(path, FileMode.CreateNew);
            CsvFile? csv = null;
            var result = await fixture.Get<UserExport>().ExportAsync(tenantId, includeSignInActivity: true, async (page, token) =>
            {
                csv ??= CsvFile.Create(stream, ExportCsv.Header(page.Columns), leaveOpen: true);
                pageSizes.Add(page.Count);
                rows += ExportCsv.WritePage(csv, page);
                await csv.FlushAsync(token);
                fileSizes.Add(new FileInfo(path).Length);
            }, Ct);
            await csv!.DisposeAsync();

            Assert.True(result.Succeeded, result.Failure?.Message);
            Assert.Equal(new UserExportSummary(20_000, 40, UserExport.PageSizeWithSignIns, true), result.Value);
            Assert.Equal(20_000, rows);
            Assert.All(pageSizes, size => Assert.True(size <= UserExport.PageSizeWithSignIns));
            Assert.Equal(fileSizes.Order(), fileSizes);
            Assert.Equal(fileSizes.Count, fileSizes.Distinct().Count());
        }
        finally
        {
            File.Delete(path);
        }

        // The command end to end.
        var (card, file) = await ExportAsync($"export users {SeededTenants.NorthwindHealthDomain}", TestUsers.Tech, timeoutSeconds: 120);
        Assert.Equal(20_001, file.Count);
        Assert.Equal(expected, file.Skip(1).Select(r => r[0]).ToHashSet());
        Assert.Contains("Exported 20,000 users", card);
    }

    [Fact]
    public async Task JobTitleStartingWithAFormula_IsGuardedInTheFile()
    {
        var tenantId = SeededTenants.ContosoDentalId;
        var user = fixture.Emulator.State.Tenant(tenantId).Users()[3];
        var id = user["id"]!.GetValue<string>();
        var formula = "=HYPERLINK(\"https://evil.example.com\",\"Click\")";
        var changed = await fixture.Get<UserOperations>().UpdateAsync(tenantId, id, new UserChanges { JobTitle = formula }, Ct);
        Assert.True(changed.Succeeded);
        try
        {
            var (_, rows) = await ExportAsync($"export users {SeededTenants.ContosoDentalDomain}", TestUsers.Tech);

            var jobTitle = Array.IndexOf(rows[0], "jobTitle");
            Assert.Equal("'" + formula, rows.Single(r => r[0] == id)[jobTitle]);
        }
        finally
        {
            await fixture.Get<UserOperations>().UpdateAsync(tenantId, id, new UserChanges { JobTitle = user["jobTitle"]?.GetValue<string>() ?? "Staff" }, Ct);
        }
    }

    [Fact]
    public async Task ReaderMayExportTheirTenantButNotOthers()
    {
        var refused = Assert.Single(await Bot.SendAsync($"export users {SeededTenants.FabrikamLogisticsDomain}", TestUsers.SecondTech));
        Assert.Contains("You may not export the users of", refused.Text);

        var (card, rows) = await ExportAsync($"export users {SeededTenants.ContosoDentalDomain}", TestUsers.SecondTech);
        Assert.Equal(SeededTenants.ContosoDentalUsers + 1, rows.Count);
        Assert.Contains("Exported", card);
    }

    [Fact]
    public async Task UnknownOrMissingTenant_IsAnsweredWithoutAJob()
    {
        Assert.Contains("Which tenant?", Assert.Single(await Bot.SendAsync("export users", TestUsers.Tech)).Text);
        Assert.Contains("I don't know the tenant", Assert.Single(await Bot.SendAsync("export users nowhere.example", TestUsers.Tech)).Text);
    }

    /// Runs the command and returns the progress card's final text and the CSV's rows (header first).
    private async Task<(string Card, List<string[]> Rows)> ExportAsync(string command, TestUser tech, int timeoutSeconds = 60)
    {
        var before = Bot.Connector.Count;
        var working = Assert.Single(await Bot.SendAsync(command, tech));
        Assert.Contains("Exporting the users of", working.CardText);

        ConnectorCall? link = null;
        ConnectorCall? done = null;
        for (var waited = 0; waited < timeoutSeconds * 10 && (link is null || done is null); waited++)
        {
            var calls = Bot.Connector.CallsSince(before);
            link ??= calls.FirstOrDefault(c => c.Text?.Contains("/files/", StringComparison.Ordinal) == true);
            done ??= calls.FirstOrDefault(c => c.Kind == "update" && c.TargetActivityId == working.ActivityId && !c.CardText.Contains("Exporting", StringComparison.Ordinal));
            await Task.Delay(100, Ct);
        }

        Assert.True(done is not null, "The progress card was not finished: " + string.Join('\n', Bot.Connector.CallsSince(before)));
        Assert.True(link is not null, "No file was offered: " + done.CardText);
        Assert.Equal(TestConversation.PersonalWith(tech).Id, link.ConversationId);
        var url = LinkPattern().Match(link.Text!).Groups[1].Value;
        var bytes = await Bot.Http.GetByteArrayAsync(new Uri(url), Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        return (done.CardText, Csv.Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3)));
    }

    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string? Expected(JsonNode? value) => value switch
    {
        null => null,
        JsonArray { Count: 0 } => null,
        JsonArray or JsonObject => value.ToJsonString(Relaxed),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => CsvCells.Guard(v.GetValue<string>()) is { Length: > 0 } s ? s : null,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    [GeneratedRegex(@"\((http://127\.0\.0\.1:\d+/files/[^)]+)\)")]
    private static partial Regex LinkPattern();
}

/// A small RFC 4180 reader for assertions (quoted fields, doubled quotes, CRLF records).
internal static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }
}
