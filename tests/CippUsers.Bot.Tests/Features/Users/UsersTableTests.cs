using System.Text.Json.Nodes;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Features.Users;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;
using CippUsers.TenantEmulator;

namespace CippUsers.Bot.Tests.Features.Users;

public sealed class UsersTableTests(UsersBotFixture fixture) : IClassFixture<UsersBotFixture>
{
    private BotHarness Bot => fixture.Bot;

    [Fact]
    public async Task Users_LargeTenant_ShowsCountAndPagesForwardAndBackThroughGraphPaging()
    {
        var reply = Assert.Single(await Bot.SendAsync($"users {SeededTenants.NorthwindHealthDomain}"));
        var first = reply.Card;
        Assert.Contains("(20,000)", reply.CardText);
        Assert.Contains("1–10 of 20,000", reply.CardText);
        var firstRows = UsersBotFixture.Rows(first);
        Assert.Equal(10, firstRows.Count);
        Assert.Equal(["Display name", "UPN", "Enabled", "Licenses", "Type"], HeaderOf(first));

        var second = await Bot.InvokeAsync(UsersVerbs.Page, UsersBotFixture.ActionData(first, UsersVerbs.Page, "Next ▶"));
        Assert.Contains("11–20 of 20,000", second.CardText);
        var secondRows = UsersBotFixture.Rows(second.Card);
        Assert.Equal(10, secondRows.Count);
        Assert.Empty(secondRows.Select(r => r[1]).Intersect(firstRows.Select(r => r[1])));

        var third = await Bot.InvokeAsync(UsersVerbs.Page, UsersBotFixture.ActionData(second.Card, UsersVerbs.Page, "Next ▶"));
        Assert.Contains("21–30 of 20,000", third.CardText);

        var back = await Bot.InvokeAsync(UsersVerbs.Page, UsersBotFixture.ActionData(third.Card, UsersVerbs.Page, "◀ Previous"));
        Assert.Equal(secondRows, UsersBotFixture.Rows(back.Card));
    }

    [Fact]
    public async Task Users_LargeTenant_NextFollowsGraphsODataNextLink_AndPreviousReusesTheRememberedOne()
    {
        var reply = Assert.Single(await Bot.SendAsync($"users {SeededTenants.NorthwindHealthDomain} a"));
        var next = UsersBotFixture.ActionData(reply.Card, UsersVerbs.Page, "Next ▶");
        var session = fixture.Get<UserListSessions>().Find(next["s"]!.GetValue<string>(), TestUsers.Tech.AadObjectId)!;
        Assert.True(session.TryGetLink(1, out var link));
        Assert.Contains("$skiptoken=", Uri.UnescapeDataString(link!), StringComparison.Ordinal);
        Assert.Contains("search", Uri.UnescapeDataString(link!), StringComparison.OrdinalIgnoreCase);

        var second = await Bot.InvokeAsync(UsersVerbs.Page, next);
        var direct = await fixture.Get<UserOperations>().ListPageAsync(SeededTenants.NorthwindHealthId, new UserQuery { NextLink = link, Top = UsersFeature.PageSize }, CancellationToken.None);

        Assert.Equal(direct.Value!.Users.Select(u => u.UserPrincipalName), UsersBotFixture.Rows(second.Card).Select(r => r[1]));
        Assert.Contains($"11–20 of {direct.Value.TotalCount:N0}", second.CardText);
        var back = await Bot.InvokeAsync(UsersVerbs.Page, UsersBotFixture.ActionData(second.Card, UsersVerbs.Page, "◀ Previous"));
        Assert.Equal(UsersBotFixture.Rows(reply.Card), UsersBotFixture.Rows(back.Card));
    }

    [Fact]
    public async Task Users_ForgedOrForeignSession_IsRefusedWithoutCallingGraph()
    {
        var reply = Assert.Single(await Bot.SendAsync($"users {SeededTenants.ContosoDentalDomain}"));
        var next = UsersBotFixture.ActionData(reply.Card, UsersVerbs.Page, "Next ▶");

        var stolen = await Bot.InvokeAsync(UsersVerbs.Page, next, from: TestUsers.Approver);
        Assert.Contains("expired", stolen.Message);

        var skipped = await Bot.InvokeAsync(UsersVerbs.Page, new JsonObject { ["s"] = next["s"]!.GetValue<string>(), ["p"] = 7 });
        Assert.Contains("not known yet", skipped.Message);
    }

    [Fact]
    public async Task Users_Search_FindsByNamePrefix()
    {
        var users = fixture.Get<UserOperations>();
        var someone = (await users.ListPageAsync(SeededTenants.FabrikamLogisticsId, new UserQuery { Top = 1, OrderBy = "displayName" }, CancellationToken.None)).Value!.Users[0];
        var prefix = someone.DisplayName.Split(' ')[0];

        var reply = Assert.Single(await Bot.SendAsync($"users {SeededTenants.FabrikamLogisticsDomain} {prefix}"));

        var rows = UsersBotFixture.Rows(reply.Card);
        Assert.NotEmpty(rows);
        Assert.Contains(rows, r => r[1] == someone.UserPrincipalName);
        Assert.All(rows, r => Assert.True(r[0].Contains(prefix, StringComparison.OrdinalIgnoreCase) || r[1].StartsWith(prefix, StringComparison.OrdinalIgnoreCase), string.Join(" | ", r)));
        Assert.Contains($"search “{prefix}”", reply.CardText);
    }

    [Theory]
    [InlineData("guests", 4, "Guest")]
    [InlineData("members", 4, "Member")]
    [InlineData("disabled", 2, "No")]
    [InlineData("enabled", 2, "Yes")]
    [InlineData("unlicensed", 3, "Unlicensed")]
    public async Task Users_Filter_EveryRowMatchesAndCountShrinks(string filter, int column, string expected)
    {
        var reply = Assert.Single(await Bot.SendAsync($"users {SeededTenants.FabrikamLogisticsDomain}"));
        var data = UsersBotFixture.ActionData(reply.Card, UsersVerbs.Apply);
        data[UsersCards.FilterInput] = filter;
        data[UsersCards.ColumnsInput] = string.Join(',', UserColumns.Default);

        var filtered = await Bot.InvokeAsync(UsersVerbs.Apply, data);

        var rows = UsersBotFixture.Rows(filtered.Card);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(expected, r[column]));
        Assert.Contains(filter, filtered.CardText);
        Assert.DoesNotContain($"of {SeededTenants.FabrikamLogisticsUsers}", filtered.CardText);
    }

    [Fact]
    public async Task Users_Licensed_ShowsOnlyUsersWithLicenceNames()
    {
        var reply = Assert.Single(await Bot.SendAsync($"users {SeededTenants.ContosoDentalDomain}"));
        var data = UsersBotFixture.ActionData(reply.Card, UsersVerbs.Apply);
        data[UsersCards.FilterInput] = "licensed";

        var rows = UsersBotFixture.Rows((await Bot.InvokeAsync(UsersVerbs.Apply, data)).Card);

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.NotEqual("Unlicensed", r[3]));
        Assert.All(rows, r => Assert.DoesNotMatch("^[0-9a-f]{8}-", r[3]));
    }

    [Fact]
    public async Task Users_ColumnPicker_ShowsChosenPropertiesOnly()
    {
        var reply = Assert.Single(await Bot.SendAsync($"users {SeededTenants.ContosoDentalDomain}"));
        var data = UsersBotFixture.ActionData(reply.Card, UsersVerbs.Apply);
        data[UsersCards.ColumnsInput] = "displayName,department,jobTitle,bogus";

        var picked = await Bot.InvokeAsync(UsersVerbs.Apply, data);

        Assert.Equal(["Display name", "Job title", "Department"], HeaderOf(picked.Card));
        Assert.All(UsersBotFixture.Rows(picked.Card), r => Assert.Equal(3, r.Count));
    }

    [Fact]
    public async Task OpenUser_ShowsProfileLicencesGroupsAndTheCatalogMenu()
    {
        var reply = Assert.Single(await Bot.SendAsync($"users {SeededTenants.ContosoDentalDomain}"));
        var open = UsersBotFixture.Actions(reply.Card).First(a => a["verb"]?.GetValue<string>() == UsersVerbs.Open);
        var userId = open["data"]!["u"]!.GetValue<string>();
        var expected = (await fixture.Get<UserOperations>().GetAsync(SeededTenants.ContosoDentalId, userId, CancellationToken.None)).Value!;

        var card = await Bot.InvokeAsync(UsersVerbs.Open, open["data"]!.AsObject().DeepClone().AsObject());

        var text = card.CardText;
        Assert.Contains(expected.UserPrincipalName, text);
        Assert.Contains(expected.DisplayName, text);
        Assert.Contains("Licenses", text);
        Assert.Contains("Groups (", text);
        Assert.Contains("Manager", text);
        Assert.Contains("Last sign-in", text);
        var menu = UsersBotFixture.Actions(card.Card).Where(a => a["verb"]?.GetValue<string>() == UsersVerbs.Act).ToList();
        Assert.Equal(CippUsers.Bot.Catalog.UserActions.All.Count, menu.Count);
        var delete = menu.Single(a => a["title"]!.GetValue<string>() == "Delete User");
        Assert.Null(delete["isEnabled"]);
        Assert.Equal("delete-user", delete["data"]!["a"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenUser_AsReader_GreysOutChangesWithTheReason()
    {
        var reply = Assert.Single(await Bot.SendAsync($"users {SeededTenants.ContosoDentalDomain}", from: TestUsers.SecondTech));
        var open = UsersBotFixture.ActionData(reply.Card, UsersVerbs.Open);

        var card = await Bot.InvokeAsync(UsersVerbs.Open, open, from: TestUsers.SecondTech);

        var delete = UsersBotFixture.Actions(card.Card).Single(a => a["title"]?.GetValue<string>() == "Delete User");
        Assert.False(delete["isEnabled"]!.GetValue<bool>());
        Assert.StartsWith("Not available:", delete["tooltip"]!.GetValue<string>());
    }

    [Fact]
    public async Task Users_TenantOutsideReadersScope_IsRefused()
    {
        var reply = Assert.Single(await Bot.SendAsync($"users {SeededTenants.FabrikamLogisticsDomain}", from: TestUsers.SecondTech));
        Assert.Contains("may not list", reply.Text);

        var open = await Bot.InvokeAsync(UsersVerbs.Open, UsersCards.OpenData(SeededTenants.FabrikamLogisticsId, "anyone"), from: TestUsers.SecondTech);
        Assert.Contains("may not view", open.Message);
    }

    [Fact]
    public async Task Find_SearchesEveryReadableTenantGroupedByTenant()
    {
        var users = fixture.Get<UserOperations>();
        var small = (await users.ListPageAsync(SeededTenants.ContosoDentalId, new UserQuery { Top = 1 }, CancellationToken.None)).Value!.Users[0];
        var prefix = small.DisplayName.Split(' ')[0];

        var reply = Assert.Single(await Bot.SendAsync($"find {prefix}"));
        var text = reply.CardText;
        Assert.Contains("Contoso Dental", text);
        Assert.Contains(small.UserPrincipalName, text);

        // The reader sees only their one tenant.
        var readerReply = Assert.Single(await Bot.SendAsync($"find {prefix}", from: TestUsers.SecondTech));
        Assert.Contains("from 1 tenant(s)", readerReply.CardText);
        Assert.Contains("from 3 tenant(s)", text);
    }

    [Fact]
    public async Task DeleteUserRunner_DeletesAndSaysRestorableFor30Days_ThenReportsAlreadyGone()
    {
        var users = fixture.Get<UserOperations>();
        var victim = (await users.ListPageAsync(SeededTenants.FabrikamLogisticsId, new UserQuery { Top = 300 }, CancellationToken.None)).Value!.Users[150];
        var runner = new DeleteUserRunner(users);
        var run = new ActionRun("op-1", SeededTenants.FabrikamLogisticsId, DeleteUserRunner.Id, new Dictionary<string, string>(), TestUsers.Tech.AadObjectId, TestUsers.Tech.Name);
        var target = new ActionTarget(victim.Id, victim.DisplayName, victim.UserPrincipalName);

        var outcome = await runner.RunAsync(run, target, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Contains("restored from deleted users for 30 days", outcome.Message);
        var after = await users.GetAsync(SeededTenants.FabrikamLogisticsId, victim.Id, CancellationToken.None);
        Assert.Equal(GraphFailureKind.NotFound, after.Failure!.Kind);
        var again = await runner.RunAsync(run, target, CancellationToken.None);
        Assert.Contains("Already gone", again.Message);
    }

    [Fact]
    public async Task EditPropertiesRunner_LeavesEqualAlone_RefusesEmptyUnknownAndOnPremisesMastered()
    {
        var users = fixture.Get<UserOperations>();
        var all = (await users.ListPageAsync(SeededTenants.FabrikamLogisticsId, new UserQuery { Top = 300 }, CancellationToken.None)).Value!.Users;
        var target = all.Where(u => !u.OnPremisesSyncEnabled && !string.IsNullOrEmpty(u.Department)).Skip(10).First();
        var synced = all.First(u => u.OnPremisesSyncEnabled);
        var runner = new EditPropertiesRunner(users);
        ActionRun Run(string property, string value) => new("op-2", SeededTenants.FabrikamLogisticsId, EditPropertiesRunner.Id,
            new Dictionary<string, string> { ["property"] = property, ["value"] = value }, TestUsers.Tech.AadObjectId, TestUsers.Tech.Name);
        var actionTarget = new ActionTarget(target.Id, target.DisplayName, target.UserPrincipalName);

        var changed = await runner.RunAsync(Run("department", "Night Shift"), actionTarget, CancellationToken.None);
        Assert.True(changed.Succeeded, changed.Message);
        Assert.Equal("Night Shift", fixture.Emulator.State.Tenant(SeededTenants.FabrikamLogisticsId).FindUser(target.Id)!["department"]!.GetValue<string>());
        target = target with { Department = "Night Shift" };

        var same = await runner.RunAsync(Run("department", target.Department!), actionTarget, CancellationToken.None);
        Assert.True(same.Succeeded, same.Message);
        Assert.Contains("nothing changed", same.Message);

        Assert.False((await runner.RunAsync(Run("department", " "), actionTarget, CancellationToken.None)).Succeeded);
        Assert.False((await runner.RunAsync(Run("passwordProfile", "x"), actionTarget, CancellationToken.None)).Succeeded);
        Assert.Equal(target.Department, (await users.GetAsync(SeededTenants.FabrikamLogisticsId, target.Id, CancellationToken.None)).Value!.Department);

        var onPremises = await runner.RunAsync(Run("department", "Night Shift"), new ActionTarget(synced.Id, synced.DisplayName, synced.UserPrincipalName), CancellationToken.None);
        Assert.False(onPremises.Succeeded);
        Assert.Contains("on-premises AD", onPremises.Message);
    }

    private static IReadOnlyList<string> HeaderOf(JsonObject card)
        => [.. card["body"]!.AsArray().OfType<JsonObject>().First(e => e["type"]?.GetValue<string>() == "ColumnSet")["columns"]!.AsArray()
            .Select(c => c!["items"]![0]!["text"]!.GetValue<string>())];
}
