using System.Globalization;
using System.Text.Json.Nodes;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.DependencyInjection;
using static CippUsers.Bot.Tests.Features.AddUser.AddUserTestKit;

namespace CippUsers.Bot.Tests.Features.AddUser;

public class AddUserScheduleUnitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_ReadsTheTimeInTheTechsZone_AndStoresUtc()
    {
        var (at, error) = AddUserSchedule.Parse("2026-12-01", "09:30", "Europe/Amsterdam", Now);

        Assert.Null(error);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero), at);
        Assert.Equal("2026-12-01 09:30 Europe/Amsterdam (08:30 UTC)", AddUserSchedule.Describe(at!.Value, "Europe/Amsterdam"));
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("2026-11-27", "08:00", "has passed")]
    [InlineData(null, "10:00", "Choose a date")]
    [InlineData("2026-12-01", "9.30am", "hours and minutes")]
    [InlineData("2028-01-01", "10:00", "at most a year")]
    [InlineData("2027-03-28", "02:30", "does not exist in Europe/Amsterdam")]
    public void Parse_Rules(string? date, string? time, string? error)
    {
        var parsed = AddUserSchedule.Parse(date, time, "Europe/Amsterdam", Now);

        if (error is null)
            Assert.Equal((null, null), parsed);
        else
            Assert.Contains(error, parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOrMissingZone_IsUtc()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero), AddUserSchedule.Parse("2026-12-01", "09:30", "Mars/Olympus", Now).At);
        Assert.Equal("UTC", AddUserSchedule.ZoneName(null));
    }
}

/// Scheduled creation over HTTP: the card shows the tech's zone, confirm schedules a durable job that creates the user
/// at its time (password to the 1:1 chat then); `tasks` lists it; Cancel stops it for good.
public sealed class AddUserScheduleTests(AddUserBotFixture fixture) : IClassFixture<AddUserBotFixture>
{
    private const string Zone = "Europe/Amsterdam";

    private EmulatedTenantInfo Tenant => fixture.Tenant;

    // The card's time has whole seconds at most.
    internal static DateTimeOffset WholeSeconds(DateTimeOffset at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), at.Offset);

    private static (string Date, string Time) Local(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(Zone));
        return (local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), local.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ScheduledCreation_RunsAtItsTime_AndThePasswordIsMadeThen()
    {
        fixture.Bot.LocalTimezone = Zone;
        var channel = TestConversation.HelpdeskChannel;
        var form = Assert.Single(await fixture.Bot.SendAsync($"add user {Tenant.DefaultDomain}", TestUsers.Tech, channel), c => c.Cards.Count == 1);
        Assert.Contains($"in your time zone: {Zone}", form.CardText, StringComparison.Ordinal);
        Assert.NotNull(Input(form.Card, AddUserForm.ScheduleDate));
        Assert.NotNull(Input(form.Card, AddUserForm.ScheduleTime));

        var username = NewUsername("sched");
        var at = WholeSeconds(TimeProvider.System.GetUtcNow().AddSeconds(6));
        var (date, time) = Local(at);
        var id = await SubmitAsync(fixture.Bot, Form(Tenant, username, (AddUserForm.ScheduleDate, date), (AddUserForm.ScheduleTime, time)), channel, form.ActivityId);
        var store = fixture.Bot.Services.GetRequiredService<PendingOperationStore>();
        var stored = (await store.GetAsync(id, Ct))!;
        Assert.Equal(at.ToUnixTimeSeconds(), AddUserSchedule.At(stored.Parameters)!.Value.ToUnixTimeSeconds());
        Assert.Equal(Zone, stored.Parameters[AddUserSchedule.ZoneKey]!.GetValue<string>());

        var scheduled = await ConfirmAsync(fixture.Bot, id, channel, form.ActivityId);
        Assert.Contains($"Scheduled: {username}", scheduled.CardText, StringComparison.Ordinal);
        Assert.Contains(AddUserCards.CancelScheduledVerb, CardJson.Verbs(scheduled.Card));
        Assert.Null(fixture.Emulator.State.Tenant(Tenant.TenantId).FindUser($"{username}@{Tenant.DefaultDomain}"));

        var op = await FinishedAsync(fixture.Bot.Services, id);
        Assert.Equal(OperationState.Succeeded, op.State);
        Assert.True(TimeProvider.System.GetUtcNow() >= at);
        Assert.NotNull(fixture.Emulator.State.Tenant(Tenant.TenantId).FindUser($"{username}@{Tenant.DefaultDomain}"));
        var secret = fixture.Bot.Connector.Calls.Single(c => c.CardText.Contains($"Password for {username}", StringComparison.OrdinalIgnoreCase));
        Assert.NotEqual(channel.Id, secret.ConversationId);
        await WaitUntilAsync(() => fixture.Bot.Connector.Calls.Any(c => c.Kind == "update" && c.TargetActivityId == form.ActivityId && c.CardText.Contains("✓ Create", StringComparison.Ordinal)), "the result card");
    }

    [Fact]
    public async Task ScheduledCreation_WithATypedPassword_OrInThePast_IsRefusedOnTheCard()
    {
        fixture.Bot.LocalTimezone = Zone;
        var (date, time) = Local(TimeProvider.System.GetUtcNow().AddHours(2));
        var typed = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb, Form(Tenant, NewUsername(), (AddUserForm.ScheduleDate, date), (AddUserForm.ScheduleTime, time),
            (AddUserForm.PasswordMode, "typed"), (AddUserForm.Password, "Typed-Secret-123")), TestUsers.Tech);
        Assert.Contains("A scheduled user gets a generated password", typed.CardText, StringComparison.Ordinal);

        var (pastDate, pastTime) = Local(TimeProvider.System.GetUtcNow().AddHours(-2));
        var past = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb, Form(Tenant, NewUsername(), (AddUserForm.ScheduleDate, pastDate), (AddUserForm.ScheduleTime, pastTime)), TestUsers.Tech);
        Assert.Contains("has passed", past.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tasks_ListScheduledAndFinished_AndCancelStopsTheJobForGood()
    {
        fixture.Bot.LocalTimezone = Zone;
        await fixture.Bot.SendAsync($"add user {Tenant.DefaultDomain}", TestUsers.Tech); // warm: the first Graph calls of a new bot take seconds
        var username = NewUsername("cancel");
        var (date, time) = Local(TimeProvider.System.GetUtcNow().AddSeconds(6));
        var id = await SubmitAsync(fixture.Bot, Form(Tenant, username, (AddUserForm.ScheduleDate, date), (AddUserForm.ScheduleTime, time)));
        await ConfirmAsync(fixture.Bot, id);

        var tasks = Assert.Single(await fixture.Bot.SendAsync($"tasks {Tenant.DefaultDomain}", TestUsers.Tech));
        Assert.Contains($"{username}@{Tenant.DefaultDomain}", tasks.CardText, StringComparison.Ordinal);
        Assert.Contains("Scheduled for", tasks.CardText, StringComparison.Ordinal);
        var cancel = Button(tasks.Card, AddUserCards.CancelScheduledVerb, b => b["data"]!["operationId"]!.GetValue<string>() == id.ToString());

        // Someone without a role in the tenant cannot cancel (access is checked again on the click).
        var refused = await fixture.Bot.InvokeAsync(AddUserCards.CancelScheduledVerb, cancel["data"]!.AsObject(), TestUsers.Approver);
        Assert.Equal(403, refused.StatusCode);

        var cancelled = await fixture.Bot.InvokeAsync(AddUserCards.CancelScheduledVerb, cancel["data"]!.AsObject(), TestUsers.Tech);
        Assert.Contains("will not be created", cancelled.CardText, StringComparison.Ordinal);
        var again = await fixture.Bot.InvokeAsync(AddUserCards.CancelScheduledVerb, cancel["data"]!.AsObject(), TestUsers.Tech);
        Assert.Contains("Not cancelled", again.CardText, StringComparison.Ordinal);

        // Past its time the job fired and did nothing: no user, still Cancelled.
        await Task.Delay(TimeSpan.FromSeconds(8), Ct);
        Assert.Null(fixture.Emulator.State.Tenant(Tenant.TenantId).FindUser($"{username}@{Tenant.DefaultDomain}"));
        var op = await fixture.Bot.Services.GetRequiredService<PendingOperationStore>().GetAsync(id, Ct);
        Assert.Equal(OperationState.Cancelled, op!.State);
        Assert.Equal(TestUsers.Tech.AadObjectId, op.DecidedByAadObjectId);
        var audit = await fixture.Bot.Services.GetRequiredService<AuditLog>().QueryAsync(Tenant.TenantId, null, 20, Ct);
        Assert.Contains(audit, e => e.OperationId == id && e.Outcome == "cancelled");

        var after = Assert.Single(await fixture.Bot.SendAsync($"tasks {Tenant.DefaultDomain}", TestUsers.Tech));
        Assert.Contains("Cancelled (was scheduled for", after.CardText, StringComparison.Ordinal);
        Assert.DoesNotContain(AddUserCards.CancelScheduledVerb, CardJson.Verbs(after.Card));
    }
}
