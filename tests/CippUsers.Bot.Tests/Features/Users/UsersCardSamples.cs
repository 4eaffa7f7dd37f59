using CippUsers.Bot.Catalog;
using CippUsers.Bot.Features.Users;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;

namespace CippUsers.Bot.Tests.Features.Users;

/// Every card of the users table, for the schema test.
public sealed class UsersCardSamples : ICardSampleSource
{
    public IEnumerable<CardSample> Samples()
    {
        var tenant = new CustomerTenant("3f6b1c2e-8d4a-4e71-9b0c-5a2d7e9f1c01", "Contoso \"Dental\"", "contosodental.com");
        var sku = Guid.Parse("c7df2760-2c81-4ef7-b578-5b5392b571df");
        var jane = new TenantUser("u-1", "jane@contosodental.com", "Jane <Doe>", "jane@contosodental.com", true, "Member")
        {
            JobTitle = "Nurse",
            AssignedSkuIds = [sku],
            BusinessPhones = ["+1 555 0100"],
            CreatedDateTime = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };
        var guest = new TenantUser("u-2", "g_x#EXT#@contosodental.com", "Guest", null, false, "Guest");
        var sessions = new UserListSessions(TimeProvider.System);
        var session = sessions.Start("caller", tenant.TenantId, "ja", UserFilter.Parse("enabled,guests"), UserColumns.Default);
        var skus = new Dictionary<Guid, string> { [sku] = "Office 365 E5" };
        var bulk = UserActions.All.Where(a => a.AllowsBulk).Select((a, i) => new MenuAction(a, i % 2 == 0 ? null : "You are a reader here")).ToList();
        var menu = UserActions.All.Select((a, i) => new MenuAction(a, i % 3 == 0 ? "not available yet" : null)).ToList();

        yield return new("Users/EditUser", EditUserForm.Card(tenant, jane));
        var groups = new List<TenantGroup>
        {
            new("7b1c0d52-8f55-4d3e-9d7e-2a9a3f1b0c01", "Nurses", null, GroupKind.Security, false, false),
            new("7b1c0d52-8f55-4d3e-9d7e-2a9a3f1b0c02", "Everyone", "all@contosodental.com", GroupKind.Distribution, false, false),
        };
        var choices = new EditUserChoices(
            [new LicenseSku(sku, "ENTERPRISEPREMIUM", "Office 365 E5", 10, 7, "User", "Enabled"), new LicenseSku(Guid.NewGuid(), "POWER_BI_STANDARD", "Power BI", 5, 5, "User", "Enabled")],
            groups,
            [new TenantGroup("7b1c0d52-8f55-4d3e-9d7e-2a9a3f1b0c03", "VPN Users", null, GroupKind.Security, false, false)],
            []);
        yield return new("Users/EditUserWithLicensesAndGroups", EditUserForm.Card(tenant, jane, choices: choices));
        yield return new("Users/EditUserMembershipsUnavailable", EditUserForm.Card(tenant, jane, "No group is named “x”.", choices: new EditUserChoices(null, null, null, ["Licenses cannot be changed here now: throttled"])));
        yield return new("Users/PatchWizard", PatchWizard.Card(tenant, "3 selected users", new System.Text.Json.Nodes.JsonObject { ["t"] = tenant.TenantId, ["ids"] = "u-1,u-2" }));
        yield return new("Users/PatchWizardError", PatchWizard.Card(tenant, "every user matching disabled", new System.Text.Json.Nodes.JsonObject { ["s"] = "abc" }, "usageLocation: a two-letter country code in capitals, like GB.",
            new Dictionary<string, string> { ["property1"] = "usageLocation", ["value1"] = "gbr" }));
        yield return new("Users/PatchDryRun", PatchWizard.DryRun(tenant,
            [new PatchPlan(jane, ["jobTitle: “Nurse” → “Senior Nurse”"], [], null), new PatchPlan(guest, [], ["jobTitle"], null),
             new PatchPlan(jane with { OnPremisesSyncEnabled = true }, ["jobTitle: “” → “x”"], [], "Not changed: the user is synced from on-premises AD.")], started: true));
        yield return new("Users/PatchDryRunNothing", PatchWizard.DryRun(tenant, [new PatchPlan(guest, [], ["jobTitle"], null)], started: false));
        yield return new("Users/EditUserInvalid", EditUserForm.Card(tenant, jane with { UsageLocation = "gb" }, "The usage location is a two-letter country code in capitals, like GB."));
        yield return new("Users/List", UsersCards.List(tenant, session, 1, new UserPage([jane, guest], "https://graph/next", 20_000), skus, bulk, 10));
        yield return new("Users/ListEmpty", UsersCards.List(tenant, session, 0, new UserPage([], null, 0), skus, bulk, 10));
        yield return new("Users/ListNoBulk", UsersCards.List(tenant, session, 0, new UserPage([jane], null, null), skus, [], 10));
        var details = new UserDetails(jane, ["Office 365 E5"], [new TenantGroup("g-1", "Nurses", null, GroupKind.Security, false, false)], guest, ["Manager: throttled"]);
        yield return new("Users/User", UsersCards.User(tenant, details with
        {
            SignIns = GraphResult<UserSignIns>.Ok(new UserSignIns(jane.CreatedDateTime, jane.CreatedDateTime!.Value.AddHours(3), jane.CreatedDateTime)),
            Mfa = GraphResult<MfaRegistration>.Ok(new MfaRegistration(["passwordAuthenticationMethod", "phoneAuthenticationMethod"])),
            Mailbox = GraphResult<CippUsers.Graph.Exchange.Mailbox?>.Ok(new CippUsers.Graph.Exchange.Mailbox(jane.Id, jane.UserPrincipalName, jane.DisplayName,
                jane.UserPrincipalName, null, "SharedMailbox", "Active", false, null, null, false, false, [])),
        }, menu));
        yield return new("Users/UserNoPremium", UsersCards.User(tenant, details with
        {
            SignIns = GraphResult<UserSignIns>.Fail(new GraphFailure(GraphFailureKind.Forbidden, "Sign-in activity needs Entra ID P1 or P2.", null) { Code = UserActivityOperations.NeedsPremiumCode }),
            Mfa = GraphResult<MfaRegistration>.Fail(new GraphFailure(GraphFailureKind.Forbidden, "Missing permission.", null)),
            Mailbox = GraphResult<CippUsers.Graph.Exchange.Mailbox?>.Fail(new GraphFailure(GraphFailureKind.Forbidden, "No Exchange role.", null) { Code = CippUsers.Graph.Exchange.ExchangeCommands.ForbiddenCode }),
        }, menu));
        yield return new("Users/UserMinimal", UsersCards.User(tenant, new UserDetails(guest, null, null, null, []), menu));
        yield return new("Users/Find", UsersCards.Find("ja", [(tenant, GraphResult<UserPage>.Ok(new UserPage([jane, guest], "next", 40))),
            (tenant with { DisplayName = "Fabrikam" }, GraphResult<UserPage>.Fail(new GraphFailure(GraphFailureKind.Throttled, "Throttled.", null)))], 5));
        yield return new("Users/FindNothing", UsersCards.Find("zz", [(tenant, GraphResult<UserPage>.Ok(new UserPage([], null, 0)))], 5));
    }
}
