using System.Text;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;

namespace CippUsers.Bot.Tests.Features.BulkAdd;

/// Bulk add end to end over HTTP against the emulator: wizard → paste → preview → confirm → durable job → results card and
/// results file (passwords only there).
public sealed class BulkAddFlowTests(ImportBotFixture fixture) : IClassFixture<ImportBotFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PastedCsv_CreatesEveryRow_ResultsFileHasPasswords_ChatDoesNot()
    {
        var prefix = Prefix();
        var csv = new StringBuilder("givenName,surName,displayName,mailNickName,domain,JobTitle,City,usageLocation\r\n");
        for (var i = 0; i < 20; i++)
            csv.Append($"Given{i},Sur{i},,{prefix}{i},{SeededTenants.ContosoDentalDomain},Nurse,=HYPERLINK(\"http://x\"),US\r\n");

        var (op, preview) = await fixture.RunAsync("bulk add", fixture.Dental, csv.ToString());

        Assert.Contains("Ready", preview.CardText, StringComparison.Ordinal);
        Assert.Equal(OperationState.Succeeded, op.State);
        var tenant = fixture.Emulator.State.Tenant(fixture.Dental.TenantId);
        for (var i = 0; i < 20; i++)
        {
            var user = tenant.FindUser($"{prefix}{i}@{SeededTenants.ContosoDentalDomain}");
            Assert.NotNull(user);
            Assert.Equal($"Given{i} Sur{i}", user["displayName"]!.GetValue<string>());
            Assert.Equal("Nurse", user["jobTitle"]!.GetValue<string>());
            Assert.Equal("US", user["usageLocation"]!.GetValue<string>());
        }

        var results = await fixture.DownloadResultsAsync("bulk-add-");
        var lines = results.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,outcome,reason,userPrincipalName,displayName,objectId,password", lines[0]);
        Assert.Equal(21, lines.Length);
        var passwords = lines.Skip(1).Select(l => l.Split(',')[^1]).ToList();
        Assert.All(passwords, p => Assert.True(p.Length >= 12, p));
        Assert.Equal(20, passwords.Distinct().Count());
        Assert.All(lines.Skip(1), l => Assert.StartsWith(l.Split(',')[0], l, StringComparison.Ordinal));

        // No password in any message outside that file, nor in the database.
        foreach (var call in fixture.Bot.Connector.Calls)
            Assert.DoesNotContain(call.Body.ToJsonString(), passwords);
        var stored = await fixture.RowsAsync(op.Id);
        Assert.All(stored, r => Assert.DoesNotContain(r.Data.ToJsonString(), passwords));
        Assert.DoesNotContain(op.Parameters.ToJsonString(), passwords);
    }

    private static string Prefix() => "b" + Guid.NewGuid().ToString("N")[..6];
}
