using System.Text.Json.Nodes;
using CippUsers.Graph.Exchange;
using CippUsers.Graph.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using CippUsers.TenantEmulator.Exchange;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CippUsers.Graph.Tests.Exchange;

/// <summary>Short retry delays; one emulator per test class because these tests convert mailboxes and inject faults.</summary>
public sealed class ExchangeFixture : EmulatorFixture
{
    protected override IDictionary<string, string?>? Overrides => new Dictionary<string, string?>
    {
        ["Exchange:RetryDelay"] = "00:00:00.050",
        ["Exchange:MaxRetries"] = "3",
        ["Exchange:PageSize"] = "50",
    };
}

/// <summary>ExchangeCommands wired as the bot wires it (AddCippGraph), against the emulator's InvokeCommand over HTTPS.</summary>
public sealed class ExchangeCommandsTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private static string Contoso => EmulatorFixture.Small;

    private static string Fabrikam => EmulatorFixture.Medium;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ExchangeCommands Exchange => fixture.Get<ExchangeCommands>();

    private ExchangeEmulator Emulated => fixture.Emulator.Exchange;

    [Fact]
    public async Task GetMailbox_ReadsTheRealTypeArchiveAndAddresses_AnchoredOnTheUser()
    {
        var expected = Emulated.AllMailboxes(Contoso).First(m => m.RecipientTypeDetails == "SharedMailbox");

        var result = await Exchange.GetMailboxAsync(Contoso, expected.UserPrincipalName, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var mailbox = result.Value!;
        Assert.Equal(MailboxType.Shared, mailbox.Type);
        Assert.Equal("SharedMailbox", mailbox.RecipientTypeDetails);
        Assert.Equal(expected.UserId, mailbox.UserId);
        Assert.Equal(expected.PrimarySmtpAddress, mailbox.PrimarySmtpAddress);
        Assert.Equal(expected.ArchiveActive, mailbox.HasArchive);
        Assert.Contains($"SMTP:{expected.PrimarySmtpAddress}", mailbox.EmailAddresses);
        Assert.False(mailbox.IsForwarding);

        var call = Emulated.Calls.Last(c => c.Cmdlet == "Get-Mailbox" && c.TenantId == Contoso);
        Assert.Equal(expected.UserPrincipalName, call.AnchorMailbox);
        Assert.Equal(["Identity"], call.ParameterNames);
        Assert.Contains("RecipientTypeDetails", call.Select, StringComparison.Ordinal);

        var archived = Emulated.AllMailboxes(Contoso).First(m => m.ArchiveActive);
        Assert.True((await Exchange.GetMailboxAsync(Contoso, archived.UserId, Ct)).Value!.HasArchive);
        Assert.StartsWith("APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@", Emulated.Calls[^1].AnchorMailbox, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMailbox_ForAGuest_IsNoMailbox_NotAFailure()
    {
        var guest = (string)fixture.SmallTenant.Users().First(u => (string?)u["userType"] == "Guest")["userPrincipalName"]!;

        var mailbox = await Exchange.GetMailboxAsync(Contoso, guest, Ct);
        var autoReply = await Exchange.GetAutoReplyAsync(Contoso, guest, Ct);

        Assert.True(mailbox.Succeeded, mailbox.Failure?.Message);
        Assert.Null(mailbox.Value);
        Assert.Equal(404, Emulated.Calls.Last(c => c.Cmdlet == "Get-Mailbox").Status);
        Assert.False(autoReply.Succeeded);
        Assert.Equal(GraphFailureKind.NotFound, autoReply.Failure!.Kind);
        Assert.Equal(ExchangeCommands.NoMailboxCode, autoReply.Failure.Code);
        Assert.Contains("no mailbox", autoReply.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListMailboxes_FollowsEveryNextLink()
    {
        var expected = Emulated.AllMailboxes(Fabrikam);
        var callsBefore = Emulated.Calls.Count;

        var all = await Exchange.ListMailboxesAsync(Fabrikam, null, Ct);
        var rooms = await Exchange.ListMailboxesAsync(Fabrikam, MailboxType.Room, Ct);

        Assert.True(all.Succeeded, all.Failure?.Message);
        Assert.Equal(expected.Select(m => m.UserId), all.Value!.Select(m => m.UserId));
        Assert.True(expected.Count > 50);
        var pages = Emulated.Calls.Skip(callsBefore).Count(c => c.Cmdlet == "Get-Mailbox" && c.ParameterNames.SequenceEqual(["ResultSize"]));
        Assert.Equal((expected.Count + 49) / 50, pages);
        Assert.All(Emulated.Calls.Skip(callsBefore), c => Assert.StartsWith("APP:SystemMailbox", c.AnchorMailbox, StringComparison.Ordinal));
        Assert.Equal(expected.Where(m => m.RecipientTypeDetails == "RoomMailbox").Select(m => m.UserId), rooms.Value!.Select(m => m.UserId));
    }

    [Fact]
    public async Task SetMailboxType_ConvertsAndBack()
    {
        var target = Emulated.AllMailboxes(Fabrikam).Where(m => m.RecipientTypeDetails == "UserMailbox").Skip(10).First();

        var toShared = await Exchange.SetMailboxTypeAsync(Fabrikam, target.UserPrincipalName, MailboxType.Shared, Ct);
        Assert.True(toShared.Succeeded, toShared.Failure?.Message);
        Assert.Equal("SharedMailbox", Emulated.Mailbox(Fabrikam, target.UserId)!.RecipientTypeDetails);
        Assert.Equal(MailboxType.Shared, (await Exchange.GetMailboxAsync(Fabrikam, target.UserPrincipalName, Ct)).Value!.Type);

        var toRoom = await Exchange.SetMailboxTypeAsync(Fabrikam, target.UserPrincipalName, MailboxType.Room, Ct);
        var back = await Exchange.SetMailboxTypeAsync(Fabrikam, target.UserPrincipalName, MailboxType.User, Ct);
        Assert.True(toRoom.Succeeded && back.Succeeded);
        Assert.Equal("UserMailbox", Emulated.Mailbox(Fabrikam, target.UserId)!.RecipientTypeDetails);
        Assert.Contains(Emulated.Calls, c => c.Cmdlet == "Set-Mailbox" && c.ParameterNames.SequenceEqual(["Identity", "Type"]) && c.AnchorMailbox == target.UserPrincipalName);
    }

    [Fact]
    public async Task AutoReply_SetsAScheduleAndReadsItBack_AndDisablingKeepsTheTexts()
    {
        var target = Emulated.AllMailboxes(Fabrikam).Where(m => m.RecipientTypeDetails == "UserMailbox").Skip(20).First();
        var start = new DateTimeOffset(2026, 12, 21, 8, 0, 0, TimeSpan.Zero);

        var set = await Exchange.SetAutoReplyAsync(Fabrikam, target.UserPrincipalName, new AutoReplySettings(AutoReplyState.Scheduled)
        {
            ExternalAudience = ExternalAudience.All,
            InternalMessage = "Back in January",
            ExternalMessage = "Back in January (external)",
            StartTime = start,
            EndTime = start.AddDays(14),
            CreateOofEvent = true,
            OofEventSubject = "Holiday",
        }, Ct);
        Assert.True(set.Succeeded, set.Failure?.Message);

        var read = await Exchange.GetAutoReplyAsync(Fabrikam, target.UserPrincipalName, Ct);
        Assert.True(read.Succeeded, read.Failure?.Message);
        var config = read.Value!;
        Assert.Equal(AutoReplyState.Scheduled, config.State);
        Assert.Equal(ExternalAudience.All, config.ExternalAudience);
        Assert.Equal("Back in January", config.InternalMessage);
        Assert.Equal("Back in January (external)", config.ExternalMessage);
        Assert.Equal(start, config.StartTime);
        Assert.Equal(start.AddDays(14), config.EndTime);
        Assert.True(config.CreateOofEvent);
        Assert.Equal("Holiday", config.OofEventSubject);

        var off = await Exchange.SetAutoReplyAsync(Fabrikam, target.UserPrincipalName, new AutoReplySettings(AutoReplyState.Disabled), Ct);
        Assert.True(off.Succeeded);
        Assert.Equal(["Identity", "AutoReplyState"], Emulated.Calls[^1].ParameterNames);
        var after = (await Exchange.GetAutoReplyAsync(Fabrikam, target.UserPrincipalName, Ct)).Value!;
        Assert.Equal(AutoReplyState.Disabled, after.State);
        Assert.Equal("Back in January", after.InternalMessage);
    }

    [Fact]
    public async Task CalendarOptionsWithoutASchedule_AreRefusedAsBadRequest_WithExchangesExceptionAsCode()
    {
        var target = Emulated.AllMailboxes(Fabrikam).Where(m => m.RecipientTypeDetails == "UserMailbox").Skip(21).First();

        var result = await Exchange.SetAutoReplyAsync(Fabrikam, target.UserPrincipalName, new AutoReplySettings(AutoReplyState.Enabled) { CreateOofEvent = true }, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(GraphFailureKind.BadRequest, result.Failure!.Kind);
        Assert.Equal("DataValidationException", result.Failure.Code);
        Assert.Equal("Disabled", Emulated.Mailbox(Fabrikam, target.UserId)!.AutoReplyState);
    }

    [Fact]
    public async Task Throttled429InPlainText_AndA503_AreRetried_ThenTheReadSucceeds()
    {
        var target = Emulated.AllMailboxes(Fabrikam)[5];
        Emulated.FailNext(Fabrikam, ExchangeFault.Throttled);
        Emulated.FailNext(Fabrikam, ExchangeFault.ServiceUnavailable);

        var result = await Exchange.GetMailboxAsync(Fabrikam, target.UserPrincipalName, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(target.UserId, result.Value!.UserId);
        var statuses = fixture.Emulator.Journal.Entries.Where(e => e.TenantId == Fabrikam && e.Path.EndsWith("/InvokeCommand", StringComparison.Ordinal)).TakeLast(3).Select(e => e.Status);
        Assert.Equal([429, 503, 200], statuses);
    }

    [Fact]
    public async Task Forbidden403WithoutJson_SaysWhichPermissionAndRoleAreMissing_AndIsNotRetried()
    {
        var target = Emulated.AllMailboxes(Contoso)[4];
        Emulated.FailNext(Contoso, ExchangeFault.Forbidden);
        var before = Emulated.Calls.Count;

        var result = await Exchange.GetMailboxAsync(Contoso, target.UserPrincipalName, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(GraphFailureKind.Forbidden, result.Failure!.Kind);
        Assert.Equal(ExchangeCommands.ForbiddenCode, result.Failure.Code);
        Assert.Contains("Exchange.ManageAsApp", result.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("Exchange admin role", result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, Emulated.Calls.Count - before);
    }

    [Fact]
    public async Task UnavailabilityThatOutlastsTheRetries_FailsAsUnavailable()
    {
        var target = Emulated.AllMailboxes(Contoso)[6];
        Emulated.FailNext(Contoso, ExchangeFault.ServiceUnavailable, 4);
        try
        {
            var result = await Exchange.GetMailboxAsync(Contoso, target.UserPrincipalName, Ct);

            Assert.False(result.Succeeded);
            Assert.Equal(GraphFailureKind.Unavailable, result.Failure!.Kind);
            Assert.Contains("Exchange Online", result.Failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            Emulated.ClearFaults();
        }
    }

    [Fact]
    public async Task InvokeBatch_SendsTenPerEnvelope_AndReturnsOneResultPerCommandInOrder()
    {
        var mailboxes = Emulated.AllMailboxes(Fabrikam).Take(11).ToList();
        var commands = mailboxes.Select(m => new ExchangeCommand("Get-Mailbox", new JsonObject { ["Identity"] = m.UserId })).ToList();
        commands.Insert(4, new ExchangeCommand("Get-Mailbox", new JsonObject { ["Identity"] = "nobody@fabrikamlogistics.com" }));
        var before = fixture.Emulator.Journal.Entries.Count;

        var result = await Exchange.InvokeBatchAsync(Fabrikam, commands, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var items = result.Value!;
        Assert.Equal(12, items.Count);
        Assert.False(items[4].Succeeded);
        Assert.Equal(ExchangeCommands.NoMailboxCode, items[4].Failure!.Code);
        var found = items.Where((_, i) => i != 4).Select(r => (string?)Assert.Single(r.Value!.Rows)["ExternalDirectoryObjectId"]);
        Assert.Equal(mailboxes.Select(m => m.UserId), found);
        var journal = fixture.Emulator.Journal.Entries.Skip(before).ToList();
        Assert.Equal(2, journal.Count(e => e.Path.EndsWith("/$batch", StringComparison.Ordinal)));
        Assert.Equal(12, journal.Count(e => e.BatchItem));
    }

    [Fact]
    public async Task InvokeAsync_RunsAnyCmdlet_AndAnUnknownForwardingTargetIsRecipientNotFound_NotNoMailbox()
    {
        var target = Emulated.AllMailboxes(Fabrikam).Where(m => m.RecipientTypeDetails == "UserMailbox").Skip(30).First();
        var colleague = Emulated.AllMailboxes(Fabrikam).Where(m => m.RecipientTypeDetails == "UserMailbox").Skip(31).First();

        var unknown = await Exchange.InvokeAsync(Fabrikam, "Set-Mailbox",
            new JsonObject { ["Identity"] = target.UserPrincipalName, ["ForwardingAddress"] = "nobody@fabrikamlogistics.com" }, target.UserPrincipalName, null, Ct);
        var forward = await Exchange.InvokeAsync(Fabrikam, "Set-Mailbox", new JsonObject
        {
            ["Identity"] = target.UserPrincipalName,
            ["ForwardingAddress"] = colleague.UserPrincipalName,
            ["ForwardingSmtpAddress"] = null,
            ["DeliverToMailboxAndForward"] = true,
        }, target.UserPrincipalName, null, Ct);

        Assert.Equal(ExchangeFailures.RecipientNotFoundCode, unknown.Failure?.Code);
        Assert.True(forward.Succeeded, forward.Failure?.Message);
        var mailbox = (await Exchange.GetMailboxAsync(Fabrikam, target.UserPrincipalName, Ct)).Value!;
        Assert.True(mailbox.IsForwarding);
        Assert.Equal(colleague.UserId, mailbox.ForwardingAddress);
        Assert.Null(mailbox.ForwardingSmtpAddress);
        Assert.True(mailbox.DeliverToMailboxAndForward);
    }

    [Fact]
    public async Task AnUnknownTenant_FailsWithoutACall()
    {
        var before = Emulated.Calls.Count;

        var result = await Exchange.GetMailboxAsync(Guid.NewGuid().ToString(), "someone@example.com", Ct);

        Assert.False(result.Succeeded);
        Assert.Equal("UnknownTenant", result.Failure!.Code);
        Assert.Equal(before, Emulated.Calls.Count);
    }

    [Fact]
    public void Options_DefaultToExchangeOnline_AndRefuseABadBaseUrl()
    {
        using var defaults = new ServiceCollection().AddCippGraph(new ConfigurationBuilder().Build()).BuildServiceProvider();
        var options = defaults.GetRequiredService<IOptions<ExchangeOptions>>().Value;
        Assert.Equal("https://outlook.office365.com", options.BaseUrl);
        Assert.Equal("https://outlook.office365.com/.default", options.Scope);

        using var bad = new ServiceCollection().AddCippGraph(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Exchange:BaseUrl"] = "not a url", ["Exchange:PageSize"] = "5000" }).Build()).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IOptions<ExchangeOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains("BaseUrl", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("PageSize", StringComparison.Ordinal));
    }
}

/// <summary>Parsing of Exchange's answers without a server.</summary>
public sealed class ExchangeParsingTests
{
    [Fact]
    public void Describe_PrefersTheDetailsMessage_ThenTheInnerException_ThenTheMessage()
    {
        var withDetails = """{"error":{"code":"NotFound","message":"Error executing cmdlet","details":[{"code":"Client","target":"","message":"Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed."}],"innererror":{"internalexception":{"message":"inner","type":"X.Y"}}}}""";
        var innerOnly = """{"error":{"code":"BadRequest","message":"Invalid Operation","innererror":{"internalexception":{"message":"Cannot convert value","type":"Microsoft.Exchange.AdminApi.CommandInvocation.ParameterTransformationException"}}}}""";

        Assert.Equal(("ManagementObjectNotFoundException", "The operation couldn't be performed."), ExchangeFailures.Describe(withDetails));
        Assert.Equal(("ParameterTransformationException", "Cannot convert value"), ExchangeFailures.Describe(innerOnly));
        Assert.Equal((null, "Invalid Operation"), ExchangeFailures.Describe("""{"error":{"message":"Invalid Operation"}}"""));
        Assert.Equal((null, null), ExchangeFailures.Describe(new string('\0', 32)));
        Assert.Equal((null, null), ExchangeFailures.Describe("You have reached the maximum number of concurrent requests per tenant."));
    }

    [Fact]
    public void FromResponse_MapsNotFoundToNoMailbox_And403ToTheMissingRole()
    {
        var notFound = ExchangeFailures.FromResponse(System.Net.HttpStatusCode.NotFound,
            """{"error":{"code":"NotFound","details":[{"message":"Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|x"}]}}""", "r1");
        var forbidden = ExchangeFailures.FromResponse(System.Net.HttpStatusCode.Forbidden, "\0\0\0", null);

        Assert.Equal((GraphFailureKind.NotFound, ExchangeCommands.NoMailboxCode, "r1"), (notFound.Kind, notFound.Code, notFound.RequestId));
        Assert.Equal((GraphFailureKind.Forbidden, ExchangeCommands.ForbiddenCode), (forbidden.Kind, forbidden.Code));

        var recipient = ExchangeFailures.FromResponse(System.Net.HttpStatusCode.NotFound,
            """{"error":{"code":"NotFound","details":[{"message":"Ex94914C|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|Couldn't find object \"x\"."}]}}""", null);
        Assert.Equal(ExchangeFailures.RecipientNotFoundCode, recipient.Code);
        Assert.NotEqual(ExchangeCommands.NoMailboxCode, recipient.Code);
    }

    [Fact]
    public void ToMailbox_IgnoresAnnotations_AndStripsTheSmtpPrefixOfForwarding()
    {
        var row = ExchangeJson.StripAnnotations(JsonNode.Parse("""
            {"UserPrincipalName":"ann@contoso.com","DisplayName":"Ann","PrimarySmtpAddress":"ann@contoso.com","RecipientTypeDetails":"RoomMailbox",
             "ArchiveStatus":"Active","ForwardingSmtpAddress":"smtp:x@fabrikam.com","DeliverToMailboxAndForward":true,
             "EmailAddresses@odata.type":"#Collection(String)","EmailAddresses":["SMTP:ann@contoso.com"],"ExchangeGuid@data.type":"System.Guid"}
            """)!.AsObject());

        Assert.DoesNotContain(row, p => p.Key.Contains('@', StringComparison.Ordinal));
        var mailbox = ExchangeCommands.ToMailbox(row);
        Assert.Equal(MailboxType.Room, mailbox.Type);
        Assert.True(mailbox.HasArchive);
        Assert.Equal("x@fabrikam.com", mailbox.ForwardingSmtpAddress);
        Assert.True(mailbox.DeliverToMailboxAndForward);
        Assert.Equal(["SMTP:ann@contoso.com"], mailbox.EmailAddresses);
    }
}
