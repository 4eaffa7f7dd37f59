using System.Net;
using System.Text.Json.Nodes;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.DependencyInjection;
using static CippUsers.Bot.Tests.Features.AddUser.AddUserTestKit;

namespace CippUsers.Bot.Tests.Features.AddUser;

/// Add User over the bot's HTTP endpoint against the emulator: every field reaches the created user, validation on the
/// card, all 18 prefill keys through chat and through GET /users/add, and a failed step retried without a second create.
public sealed class AddUserEndToEndTests(AddUserBotFixture fixture) : IClassFixture<AddUserBotFixture>
{
    private EmulatedTenantInfo Tenant => fixture.Tenant;

    private EmulatedTenant State => fixture.Emulator.State.Tenant(Tenant.TenantId);

    [Fact]
    public async Task EveryField_ReachesTheEmulatorsUser()
    {
        var users = State.Users();
        var manager = users[2];
        var peer = users.First(u => State.Groups().Any(g => State.GroupMemberIds(g["id"]!.GetValue<string>()).Contains(u["id"]!.GetValue<string>())));
        var sku = State.SubscribedSkus().First(s => s["prepaidUnits"]!["enabled"]!.GetValue<int>() - s["consumedUnits"]!.GetValue<int>() > 10)["skuId"]!.GetValue<string>();
        var username = NewUsername("all");
        var upn = $"{username}@{Tenant.DefaultDomain}";

        var id = await SubmitAsync(fixture.Bot, Form(Tenant, username,
            (AddUserForm.GivenName, "Maria"), (AddUserForm.Surname, "Jansen"), (AddUserForm.DisplayName, "Maria Jansen (Front desk)"),
            (AddUserForm.Aliases, $"{username}.alias\n{username}.second"), (AddUserForm.MustChangePass, "true"), (AddUserForm.UsageLocation, "nl"),
            (AddUserForm.Licenses, sku), (AddUserForm.JobTitle, "Receptionist"), (AddUserForm.Department, "Front office"),
            (AddUserForm.CompanyName, "Contoso Dental"), (AddUserForm.StreetAddress, "Coolsingel 40"), (AddUserForm.City, "Rotterdam"),
            (AddUserForm.State, "Zuid-Holland"), (AddUserForm.PostalCode, "3011 AD"), (AddUserForm.Country, "Netherlands"),
            (AddUserForm.MobilePhone, "+31 6 1234 5678"), (AddUserForm.BusinessPhone, "+31 10 123 4567"), (AddUserForm.OtherMails, "maria@example.org"),
            (AddUserForm.Manager, manager["id"]!.GetValue<string>()), (AddUserForm.CopyGroupsFrom, peer["id"]!.GetValue<string>())));
        await ConfirmAsync(fixture.Bot, id);
        var op = await FinishedAsync(fixture.Bot.Services, id);

        Assert.True(op.State == OperationState.Succeeded, string.Join("; ", op.Results.Select(r => $"{r.DisplayName}: {r.Message}")));
        var user = State.FindUser(upn)!;
        Assert.NotNull(user);
        string P(string name) => user[name]!.GetValue<string>();
        Assert.Equal(("Maria", "Jansen", "Maria Jansen (Front desk)", username), (P("givenName"), P("surname"), P("displayName"), P("mailNickname")));
        Assert.Equal(("Receptionist", "Front office", "Contoso Dental"), (P("jobTitle"), P("department"), P("companyName")));
        Assert.Equal(("Coolsingel 40", "Rotterdam", "Zuid-Holland", "3011 AD", "Netherlands"), (P("streetAddress"), P("city"), P("state"), P("postalCode"), P("country")));
        Assert.Equal(("+31 6 1234 5678", "NL"), (P("mobilePhone"), P("usageLocation")));
        Assert.Equal(["+31 10 123 4567"], user["businessPhones"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Contains("maria@example.org", user["otherMails"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.True(user["passwordProfile"]?["forceChangePasswordNextSignIn"]?.GetValue<bool>() ?? true);
        Assert.Contains(sku, user["assignedLicenses"]!.AsArray().Select(l => l!["skuId"]!.GetValue<string>()));
        // Aliases: mail set to each alias, then back to the UPN (the emulator does not keep former mails as proxy addresses).
        var patches = fixture.Emulator.Journal.Entries.Where(e => e.Method == "PATCH" && e.Path.Contains(P("id"), StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(patches.Count(e => e.BodyProperties?.Contains("mail") == true) == 3, string.Join("; ", patches.Select(e => $"{e.Path} {string.Join(",", e.BodyProperties ?? [])}")));
        Assert.Contains($"Added aliases: {username}.alias@{Tenant.DefaultDomain}, {username}.second@{Tenant.DefaultDomain}", op.Results.Single(r => r.TargetId == "Aliases").Message, StringComparison.Ordinal);
        Assert.Equal(upn, P("mail"), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(manager["id"]!.GetValue<string>(), State.ManagerIdOf(upn));
        var peerGroups = State.Groups().Where(g => State.GroupMemberIds(g["id"]!.GetValue<string>()).Contains(peer["id"]!.GetValue<string>()))
            .Where(g => op.Results.Single(r => r.TargetId == "CopyGroups").Message.Contains("Added to", StringComparison.Ordinal)).ToList();
        Assert.Contains(peerGroups, g => State.GroupMemberIds(g["id"]!.GetValue<string>()).Contains(P("id")));
    }

    [Fact]
    public async Task Validation_IsShownByField_AndNothingIsSent()
    {
        var taken = State.Users()[0]["userPrincipalName"]!.GetValue<string>();
        var writes = fixture.Emulator.Journal.Entries.Count(e => e.Method != "GET");

        var card = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb, Form(Tenant, taken.Split('@')[0],
            (AddUserForm.Domain, taken.Split('@')[1]), (AddUserForm.Aliases, "dup\ndup\nbad(alias)"), (AddUserForm.Licenses, Guid.NewGuid().ToString()),
            (AddUserForm.OtherMails, "not-a-mail"), (AddUserForm.PasswordMode, "typed"), (AddUserForm.Password, "short")), TestUsers.Tech);

        var text = card.CardText;
        Assert.Contains("Please fix the fields marked below. Nothing was sent to the tenant.", text, StringComparison.Ordinal);
        Assert.Contains($"{taken} is already taken.", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("A usage location is needed to assign licenses.", text, StringComparison.Ordinal);
        Assert.Contains("Not valid e-mail addresses: not-a-mail", text, StringComparison.Ordinal);
        Assert.Contains("8 to 256 characters", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"short\"", card.Card.ToJsonString(), StringComparison.Ordinal);
        var nameOnly = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb, Form(Tenant, "bad name", (AddUserForm.GivenName, ""), (AddUserForm.Surname, "")), TestUsers.Tech);
        Assert.Contains("Username may hold only letters", nameOnly.CardText, StringComparison.Ordinal);
        Assert.Contains("Display name is required", nameOnly.CardText, StringComparison.Ordinal);
        Assert.Equal(writes, fixture.Emulator.Journal.Entries.Count(e => e.Method != "GET"));
    }

    [Fact]
    public async Task AllEighteenPrefillKeys_ThroughGetUsersAdd_AndThroughChat_FillTheCard()
    {
        var domain = State.Info.InitialDomain;
        (string Key, string Value, string Field)[] keys =
        [
            ("customerId", Tenant.TenantId, ""),
            ("businessPhones", "+31 20 123 4567", AddUserForm.BusinessPhone), ("city", "Den Haag", AddUserForm.City),
            ("companyName", "Contoso B.V. & Co", AddUserForm.CompanyName), ("country", "Netherlands", AddUserForm.Country),
            ("department", "Sales/Marketing", AddUserForm.Department), ("displayName", "Jan de Vries", AddUserForm.DisplayName),
            ("givenName", "Jan", AddUserForm.GivenName), ("jobTitle", "Account manager", AddUserForm.JobTitle),
            ("mailNickname", "jan.devries", AddUserForm.Username), ("mobilePhone", "+31 6 1111 2222", AddUserForm.MobilePhone),
            ("addedAliasses", "jan\nj.devries", AddUserForm.Aliases), ("postalCode", "2511 AA", AddUserForm.PostalCode),
            ("streetAddress", "Spui 70", AddUserForm.StreetAddress), ("surname", "de Vries", AddUserForm.Surname),
            ("usageLocation", "NL", AddUserForm.UsageLocation), ("primDomain", domain, AddUserForm.Domain), ("MustChangePass", "true", AddUserForm.MustChangePass),
        ];
        Assert.Equal(18, keys.Length);
        var query = string.Join('&', keys.Select(k => $"{(k.Key.Length % 2 == 0 ? k.Key.ToUpperInvariant() : k.Key)}={Uri.EscapeDataString(k.Value)}")) + "&favouriteColour=blue";

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Bot.BaseAddress };
        using var response = await http.GetAsync(new Uri("/users/add?" + query, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("teams.microsoft.com", location.Host);
        Assert.Equal("/l/chat/0/0", location.AbsolutePath);
        var parameters = location.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.StartsWith("28:", parameters["users"], StringComparison.Ordinal);
        var message = parameters["message"];
        Assert.StartsWith("add user ", message, StringComparison.Ordinal);

        // The prefilled message, as the tech sends it from the opened chat, and the same pairs typed in chat.
        foreach (var command in new[] { message, "add user " + query.Replace('&', ' ') })
        {
            var form = Assert.Single(await fixture.Bot.SendAsync(command, TestUsers.Tech), c => c.Cards.Count == 1);
            Assert.Contains($"Add user to {Tenant.DisplayName}", form.CardText, StringComparison.Ordinal);
            Assert.Contains("Ignored unknown prefill keys: favouriteColour", form.CardText, StringComparison.Ordinal);
            foreach (var (key, value, field) in keys.Where(k => k.Field.Length > 0))
                Assert.True(value == Value(form.Card, field), $"{key}: expected “{value}”, card has “{Value(form.Card, field)}” ({command[..30]}…)");
        }
    }

    [Fact]
    public async Task FailedManagerStep_IsRetriedFromTheResultCard_WithoutCreatingTheUserAgain()
    {
        var manager = State.Users()[4];
        var managerId = manager["id"]!.GetValue<string>();
        var username = NewUsername("retry");
        var channel = TestConversation.HelpdeskChannel;
        var id = await SubmitAsync(fixture.Bot, Form(Tenant, username, (AddUserForm.Manager, managerId), (AddUserForm.JobTitle, "Hygienist")), channel, "card-retry");

        // The manager leaves between the review and the confirm: the manager step fails, the rest succeeds.
        var graph = fixture.Bot.Services.GetRequiredService<UserOperations>();
        Assert.True((await graph.DeleteAsync(Tenant.TenantId, managerId, Ct)).Succeeded);
        await ConfirmAsync(fixture.Bot, id, channel, "card-retry");
        var op = await FinishedAsync(fixture.Bot.Services, id);
        Assert.Equal(OperationState.PartlySucceeded, op.State);
        Assert.False(op.Results.Single(r => r.TargetId == "Manager").Succeeded);
        await WaitUntilAsync(() => fixture.Bot.Connector.Calls.Any(c => c.TargetActivityId == "card-retry" && c.Kind == "update" && c.CardText.Contains("some steps failed", StringComparison.Ordinal)), "the result card");
        var result = fixture.Bot.Connector.Calls.Last(c => c.TargetActivityId == "card-retry" && c.Kind == "update");
        var retry = Button(result.Card, AddUserCards.RetryVerb);
        Assert.Equal("Retry Manager", retry["title"]!.GetValue<string>());

        // Back from the recycle bin; Retry sets the manager and creates nothing.
        await fixture.Bot.Services.GetRequiredService<TenantClients>().For(Tenant.TenantId).Directory.DeletedItems[managerId].Restore.PostAsync(cancellationToken: Ct);
        var creates = fixture.Emulator.Journal.Entries.Count(e => e.Method == "POST" && e.Path.EndsWith("/users", StringComparison.Ordinal));
        var retried = await fixture.Bot.InvokeAsync(AddUserCards.RetryVerb, retry["data"]!.AsObject(), TestUsers.Tech, channel, "card-retry");

        Assert.Contains($"Created {username}", retried.CardText, StringComparison.Ordinal);
        Assert.Contains("✓ Manager", retried.CardText, StringComparison.Ordinal);
        Assert.DoesNotContain(AddUserCards.RetryVerb, CardJson.Verbs(retried.Card));
        Assert.Equal(managerId, State.ManagerIdOf($"{username}@{Tenant.DefaultDomain}"));
        Assert.Equal(creates, fixture.Emulator.Journal.Entries.Count(e => e.Method == "POST" && e.Path.EndsWith("/users", StringComparison.Ordinal)));
        Assert.Single(State.Users(), u => u["userPrincipalName"]!.GetValue<string>().Equals($"{username}@{Tenant.DefaultDomain}", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(OperationState.Succeeded, (await fixture.Bot.Services.GetRequiredService<PendingOperationStore>().GetAsync(id, Ct))!.State);
    }
}
