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
        Assert.Equal(UsersCards.MailboxUnknown, facts["Mailbox"]);
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

    internal static Dictionary<string, string> Facts(JsonObject card)
        => card["body"]!.AsArray().OfType<JsonObject>().Where(e => e["type"]?.GetValue<string>() == "FactSet")
            .SelectMany(f => f["facts"]!.AsArray()).ToDictionary(f => f!["title"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());
}
