using System.Globalization;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.DependencyInjection;
using static CippUsers.Bot.Tests.Features.AddUser.AddUserTestKit;

namespace CippUsers.Bot.Tests.Features.AddUser;

/// A scheduled creation survives a restart: the bot that scheduled it stops before its time, a new bot on the same
/// database (and the same Teams connector) creates the user when it is due.
public sealed class AddUserRestartTests
{
    [Fact]
    public async Task ScheduledCreation_SurvivesARestart_AndRunsOnce()
    {
        var data = Directory.CreateTempSubdirectory("cippusers-adduser-restart-").FullName;
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false });
        await using var connector = await FakeConnector.StartAsync();
        var tenant = emulator.Tenants[0];
        void Configure(BotHarnessOptions o)
        {
            o.UseEmulatorHost(emulator);
            o.Connector = connector;
            o.Settings["Storage:Provider"] = "Sqlite";
            o.Settings["Storage:SqlitePath"] = Path.Combine(data, "bot.db");
            o.Settings["Jobs:QueuePollInterval"] = "00:00:00.200";
            o.Settings["Jobs:ShutdownTimeout"] = "00:00:01";
            o.Settings["Access:Principals:0:Id"] = TestUsers.Tech.AadObjectId;
            o.Settings["Access:Principals:0:Name"] = TestUsers.Tech.Name;
            o.Settings["Access:Principals:0:Roles:0"] = "helpdesk";
            o.Settings["Access:Principals:0:Tenants:0"] = "*";
        }

        var username = NewUsername("restart");
        var upn = $"{username}@{tenant.DefaultDomain}";
        Guid id;
        DateTimeOffset at;
        await using (var first = await BotHarness.StartAsync(Configure))
        {
            await first.SendAsync($"add user {tenant.DefaultDomain}", TestUsers.Tech); // warm up Graph before timing
            at = AddUserScheduleTests.WholeSeconds(TimeProvider.System.GetUtcNow().AddSeconds(15));
            id = await SubmitAsync(first, Form(tenant, username,
                (AddUserForm.ScheduleDate, at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                (AddUserForm.ScheduleTime, at.ToString("HH:mm:ss", CultureInfo.InvariantCulture))), replyToId: "scheduled-card");
            var scheduled = await ConfirmAsync(first, id, replyToId: "scheduled-card");
            Assert.Contains("Scheduled:", scheduled.CardText, StringComparison.Ordinal);
        }

        // Stopped before its time: nothing was created.
        Assert.True(TimeProvider.System.GetUtcNow() < at, "The first bot took too long to stop; the test proves nothing.");
        Assert.Null(emulator.State.Tenant(tenant.TenantId).FindUser(upn));

        await using var second = await BotHarness.StartAsync(Configure);
        var op = await FinishedAsync(second.Services, id, TimeSpan.FromSeconds(60));

        Assert.Equal(OperationState.Succeeded, op.State);
        Assert.True(TimeProvider.System.GetUtcNow() >= at);
        Assert.Single(emulator.State.Tenant(tenant.TenantId).Users(), u => string.Equals(u["userPrincipalName"]!.GetValue<string>(), upn, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(1, emulator.Journal.Entries.Count(e => e.Method == "POST" && e.Path.EndsWith("/users", StringComparison.Ordinal) && e.Status == 201));
        await WaitUntilAsync(() => connector.Calls.Any(c => c.Kind == "update" && c.TargetActivityId == "scheduled-card" && c.CardText.Contains($"Created {upn}", StringComparison.OrdinalIgnoreCase)), "the result card");
        Assert.Single(connector.Calls, c => c.CardText.Contains($"Password for {username}", StringComparison.OrdinalIgnoreCase));
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file; it stays in the temp folder.
        }
    }
}
