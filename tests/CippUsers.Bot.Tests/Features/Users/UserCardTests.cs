using System.Globalization;
using System.Text.Json.Nodes;
using CippUsers.Bot.Features.Users;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;
using CippUsers.TenantEmulator;

namespace CippUsers.Bot.Tests.Features.Users;

/// The user card's lines beyond the profile, read from the emulator over HTTP: last sign-in (signInActivity, a 403 in a
/// tenant without Entra ID P1 costs only its line), MFA registration from the user's methods, groups, manager, mailbox.
public sealed class UserCardTests(UsersBotFixture fixture) : IClassFixture<UsersBotFixture>
{
    private BotHarness Bot => fixture.Bot;

    [Fact]
    public async Task PremiumTenant_ShowsLastSignInMfaGroupsManagerAndMailbox()
    {
        var tenant = fixture.Emulator.State.Tenant(SeededTenants.FabrikamLogisticsId);
        var stored = tenant.Users().First(u => (string?)u["userType"] == "Member" && (bool)u["accountEnabled"]! && u["signInActivity"] is not null
            && tenant.AuthenticationMethods((string)u["id"]!).Count > 1 && tenant.ManagerIdOf((string)u["id"]!) is not null);
        var id = (string)stored["id"]!;

        var card = await Bot.InvokeAsync(UsersVerbs.Open, UsersCards.OpenData(SeededTenants.FabrikamLogisticsId, id));

        var facts = Facts(card.Card);
        var last = DateTimeOffset.Parse((string)stored["signInActivity"]!["lastSignInDateTime"]!, CultureInfo.InvariantCulture);
        Assert.StartsWith(last.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) + " (interactive)", facts["Last sign-in"]);
        Assert.Equal("Registered: Phone", facts["MFA registration"]);
        var mailbox = fixture.Emulator.Exchange.Mailbox(SeededTenants.FabrikamLogisticsId, id);
        Assert.Equal(mailbox is null ? UsersCards.NoMailbox : ExpectedMailboxLine(mailbox), facts["Mailbox"]);
        var manager = tenant.FindUser(tenant.ManagerIdOf(id)!)!;
        Assert.Contains((string)manager["userPrincipalName"]!, facts["Manager"]);
        var groups = tenant.Groups().Where(g => tenant.GroupMemberIds((string)g["id"]!).Contains(id)).ToList();
        Assert.Contains($"Groups ({groups.Count})", card.CardText);
        Assert.All(groups.Take(5), g => Assert.Contains((string)g["displayName"]!, card.CardText));
    }

    [Fact]
    public async Task TenantWithoutP1_SaysNeedsEntraIdP1_AndTheRestOfTheCardStillShows()
    {
        var tenant = fixture.Emulator.State.Tenant(SeededTenants.ContosoDentalId);
        var stored = tenant.Users().First(u => (string?)u["userType"] == "Member" && tenant.AuthenticationMethods((string)u["id"]!).Count == 1
            && tenant.ManagerIdOf((string)u["id"]!) is not null);
        var id = (string)stored["id"]!;
        var journalBefore = fixture.Emulator.Journal.Entries.Count;

        var card = await Bot.InvokeAsync(UsersVerbs.Open, UsersCards.OpenData(SeededTenants.ContosoDentalId, id));

        var facts = Facts(card.Card);
        Assert.Equal(UsersCards.NeedsPremium, facts["Last sign-in"]);
        Assert.Equal("Not registered (Password only)", facts["MFA registration"]);
        Assert.Contains((string)stored["userPrincipalName"]!, card.CardText);
        Assert.Contains("Licenses", facts.Keys);
        Assert.Contains("Groups (", card.CardText);
        Assert.DoesNotContain("could not", card.CardText, StringComparison.OrdinalIgnoreCase);
        // The 403 really came from Graph (the emulator), for the signInActivity read only.
        var calls = fixture.Emulator.Journal.Entries.Skip(journalBefore).Where(e => e.Path.Contains(id, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains(calls, e => e.Status == 403);
        Assert.Single(calls, e => e.Status >= 400);
    }

    [Fact]
    public async Task UserWithoutSignIns_SaysNeverSignedIn()
    {
        var tenant = fixture.Emulator.State.Tenant(SeededTenants.FabrikamLogisticsId);
        var stored = tenant.Users().First(u => u["signInActivity"] is null);

        var card = await Bot.InvokeAsync(UsersVerbs.Open, UsersCards.OpenData(SeededTenants.FabrikamLogisticsId, (string)stored["id"]!));

        Assert.Equal("Never signed in", Facts(card.Card)["Last sign-in"]);
    }

    [Fact]
    public async Task MailboxLine_ShowsTheRealTypeFromExchange_UserSharedArchiveAndNoneForAGuest()
    {
        const string Contoso = SeededTenants.ContosoDentalId;
        var tenant = fixture.Emulator.State.Tenant(Contoso);
        var mailboxes = fixture.Emulator.Exchange.AllMailboxes(Contoso);
        var user = mailboxes.First(m => m.RecipientTypeDetails == "UserMailbox" && !m.ArchiveActive);
        var archived = mailboxes.First(m => m.RecipientTypeDetails == "UserMailbox" && m.ArchiveActive);
        var shared = mailboxes.First(m => m.RecipientTypeDetails == "SharedMailbox");
        var room = mailboxes.First(m => m.RecipientTypeDetails == "RoomMailbox");
        var guest = (string)tenant.Users().First(u => (string?)u["userType"] == "Guest")["id"]!;
        var unlicensed = (string)tenant.Users().First(u => (string?)u["userType"] == "Member" && u["assignedLicenses"]!.AsArray().Count == 0)["id"]!;

        async Task<string> MailboxOf(string userId) =>
            Facts((await Bot.InvokeAsync(UsersVerbs.Open, UsersCards.OpenData(Contoso, userId))).Card)["Mailbox"];

        Assert.Equal("User mailbox", await MailboxOf(user.UserId));
        Assert.Equal("User mailbox, archive on", await MailboxOf(archived.UserId));
        Assert.Equal(ExpectedMailboxLine(shared), await MailboxOf(shared.UserId));
        Assert.StartsWith("Shared mailbox", await MailboxOf(shared.UserId), StringComparison.Ordinal);
        Assert.StartsWith("Room", await MailboxOf(room.UserId), StringComparison.Ordinal);
        Assert.Equal(UsersCards.NoMailbox, await MailboxOf(guest));
        Assert.Equal(UsersCards.NoMailbox, await MailboxOf(unlicensed));
        Assert.Contains(fixture.Emulator.Exchange.Calls, c => c.TenantId == Contoso && c.Cmdlet == "Get-Mailbox" && c.Status == 200);
    }

    [Fact]
    public async Task MailboxReadRefused_CostsOnlyItsLine_AndSaysWhichRoleIsMissing()
    {
        const string Contoso = SeededTenants.ContosoDentalId;
        var user = fixture.Emulator.Exchange.AllMailboxes(Contoso).First(m => m.RecipientTypeDetails == "UserMailbox");
        fixture.Emulator.Exchange.FailNext(Contoso, TenantEmulator.Exchange.ExchangeFault.Forbidden);

        var card = await Bot.InvokeAsync(UsersVerbs.Open, UsersCards.OpenData(Contoso, user.UserId));

        var facts = Facts(card.Card);
        Assert.Equal(UsersCards.NeedsExchangeRole, facts["Mailbox"]);
        Assert.Contains(user.UserPrincipalName, card.CardText);
        Assert.Contains("Licenses", facts.Keys);
        Assert.Contains("Groups (", card.CardText);
    }

    private static string ExpectedMailboxLine(TenantEmulator.Exchange.ExchangeMailbox mailbox)
    {
        var type = mailbox.RecipientTypeDetails switch
        {
            "UserMailbox" => "User mailbox",
            "SharedMailbox" => "Shared mailbox",
            "RoomMailbox" => "Room",
            _ => "Equipment",
        };
        return mailbox.ArchiveActive ? $"{type}, archive on" : type;
    }

    internal static Dictionary<string, string> Facts(JsonObject card)
        => card["body"]!.AsArray().OfType<JsonObject>().Where(e => e["type"]?.GetValue<string>() == "FactSet")
            .SelectMany(f => f["facts"]!.AsArray()).ToDictionary(f => f!["title"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());
}
