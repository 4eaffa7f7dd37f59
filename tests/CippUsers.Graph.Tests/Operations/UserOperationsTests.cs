using CippUsers.Graph.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using static CippUsers.Graph.Tests.Infrastructure.TestUsers;

namespace CippUsers.Graph.Tests.Operations;

public class UserOperationsTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private UserOperations Users => fx.Get<UserOperations>();

    private string Domain => SeededTenants.ContosoDentalDomain;

    [Fact]
    public async Task GetAsync_ByUpn_ReturnsSelectedNonDefaultProperties()
    {
        var seeded = fx.SmallTenant.Users().First(u => u.Str("userType") == "Member" && u.Str("usageLocation") is not null);

        var result = await Users.GetAsync(EmulatorFixture.Small, seeded.Str("userPrincipalName")!, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(seeded.Str("id"), result.Value!.Id);
        Assert.Equal(seeded.Bool("accountEnabled"), result.Value.AccountEnabled);
        Assert.Equal(seeded.Str("usageLocation"), result.Value.UsageLocation);
        Assert.Equal(seeded.Str("department"), result.Value.Department);
    }

    [Fact]
    public async Task GetAsync_Unknown_IsNotFoundWithRequestIdAndFriendlyText()
    {
        var result = await Users.GetAsync(EmulatorFixture.Small, "nobody-here@" + Domain, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(GraphFailureKind.NotFound, result.Failure.Kind);
        Assert.False(string.IsNullOrEmpty(result.Failure.RequestId));
        Assert.DoesNotContain("reference-property", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_UnknownTenant_FailsWithoutCallingGraph()
    {
        fx.Emulator.Journal.Reset();

        var result = await Users.GetAsync("00000000-0000-0000-0000-000000000001", "x@y.com", Ct);

        Assert.Equal(GraphFailureKind.NotFound, result.Failure!.Kind);
        Assert.Empty(fx.Emulator.Journal.Entries);
    }

    [Fact]
    public async Task ResolveAsync_DisplayNamePrefix_ReturnsEveryMatch()
    {
        var seeded = fx.SmallTenant.Users().First(u => u.Str("userType") == "Member");
        var first = seeded.Str("displayName")!.Split(' ')[0];
        var expected = fx.SmallTenant.Users()
            .Where(u => u.Str("displayName")!.StartsWith(first, StringComparison.OrdinalIgnoreCase)
                     || u.Str("userPrincipalName")!.StartsWith(first, StringComparison.OrdinalIgnoreCase))
            .Select(u => u.Str("id")!).Order().ToList();

        var result = await Users.ResolveAsync(EmulatorFixture.Small, first, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(expected, result.Value!.Select(u => u.Id).Order().ToList());
    }

    [Fact]
    public async Task ResolveAsync_ExactDisplayNameAndId_ReturnOne()
    {
        var seeded = fx.SmallTenant.Users().Last(u => u.Str("userType") == "Member");

        var byName = await Users.ResolveAsync(EmulatorFixture.Small, seeded.Str("displayName")!, Ct);
        var byId = await Users.ResolveAsync(EmulatorFixture.Small, seeded.Str("id")!, Ct);

        Assert.Contains(byName.Value!, u => u.Id == seeded.Str("id"));
        Assert.Equal(seeded.Str("id"), Assert.Single(byId.Value!).Id);
    }

    [Fact]
    public async Task ResolveAsync_Nothing_ReturnsEmptyList()
    {
        var result = await Users.ResolveAsync(EmulatorFixture.Small, "Zzyzx Nonexistent", Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Empty(result.Value!);
    }

    [Fact]
    public async Task ListPageAsync_FollowsNextLinksThroughWholeTenant()
    {
        var total = fx.MediumTenant.UserCount;
        var seen = new HashSet<string>();
        var query = new UserQuery { Top = 120 };
        long? count = null;
        var pages = 0;
        while (true)
        {
            var page = await Users.ListPageAsync(EmulatorFixture.Medium, query, Ct);
            Assert.True(page.Succeeded, page.Failure?.Message);
            count ??= page.Value!.TotalCount;
            pages++;
            foreach (var user in page.Value!.Users)
                Assert.True(seen.Add(user.Id), "a user came twice");
            if (page.Value.NextLink is null)
                break;
            query = query with { NextLink = page.Value.NextLink };
        }

        Assert.Equal(total, seen.Count);
        Assert.Equal(total, count);
        Assert.Equal((int)Math.Ceiling(total / 120.0), pages);
    }

    [Fact]
    public async Task ListPageAsync_DisabledFilter_ReturnsOnlyDisabledUsers()
    {
        var expected = fx.MediumTenant.Users().Count(u => u.Bool("accountEnabled") == false);

        var page = await Users.ListPageAsync(EmulatorFixture.Medium, new UserQuery { AccountEnabled = false, Top = 999 }, Ct);

        Assert.True(page.Succeeded, page.Failure?.Message);
        Assert.True(expected > 0);
        Assert.Equal(expected, page.Value!.Users.Count);
        Assert.All(page.Value.Users, u => Assert.False(u.AccountEnabled));
    }

    [Fact]
    public async Task ListPageAsync_GuestFilterAndSearch_Work()
    {
        var guests = await Users.ListPageAsync(EmulatorFixture.Medium, new UserQuery { UserType = "Guest", Top = 999 }, Ct);
        var someone = fx.MediumTenant.Users().First(u => u.Str("userType") == "Member");
        var surname = someone.Str("surname")!;
        var search = await Users.ListPageAsync(EmulatorFixture.Medium, new UserQuery { Search = surname, Top = 999 }, Ct);

        Assert.Equal(fx.MediumTenant.Users().Count(u => u.Str("userType") == "Guest"), guests.Value!.Users.Count);
        Assert.All(guests.Value.Users, u => Assert.True(u.IsGuest));
        Assert.True(search.Succeeded, search.Failure?.Message);
        Assert.Contains(search.Value!.Users, u => u.Id == someone.Str("id"));
    }

    [Fact]
    public async Task CreateAsync_CreatesUserInTenant_WithoutStoringPassword()
    {
        var newUser = New(Domain) with { JobTitle = "Receptionist", Department = "Front Desk" };

        var result = await Users.CreateAsync(EmulatorFixture.Small, newUser, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var stored = fx.SmallTenant.FindUser(newUser.UserPrincipalName);
        Assert.NotNull(stored);
        Assert.Equal(result.Value!.Id, stored.Str("id"));
        Assert.Equal("Receptionist", stored.Str("jobTitle"));
        Assert.Equal("GB", stored.Str("usageLocation"));
        Assert.Equal(newUser.UserPrincipalName.Split('@')[0], stored.Str("mailNickname"));
        Assert.DoesNotContain(Password, stored.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, newUser.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_ExistingUpn_IsConflict()
    {
        var existing = fx.SmallTenant.Users()[0].Str("userPrincipalName")!;

        var result = await Users.CreateAsync(EmulatorFixture.Small, new NewUser("Dup", existing, Password), Ct);

        Assert.Equal(GraphFailureKind.Conflict, result.Failure!.Kind);
    }

    [Fact]
    public async Task CreateAsync_UnverifiedDomain_IsRefusedByGraph()
    {
        var result = await Users.CreateAsync(EmulatorFixture.Small, New("not-a-domain-of-this-tenant.example"), Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(GraphFailureKind.BadRequest, result.Failure.Kind);
    }

    [Fact]
    public async Task UpdateAsync_SendsOnlyChangesAndClears()
    {
        var created = (await Users.CreateAsync(EmulatorFixture.Small, New(Domain) with { JobTitle = "Clerk", City = "York", Department = "Admin" }, Ct)).Value!;
        var before = (await Users.GetAsync(EmulatorFixture.Small, created.Id, Ct)).Value!;

        var changes = UserChanges.Between(before, before with { JobTitle = "", Department = "Billing" });
        var result = await Users.UpdateAsync(EmulatorFixture.Small, created.Id, changes, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var stored = fx.SmallTenant.FindUser(created.Id)!;
        Assert.Null(stored.Str("jobTitle"));
        Assert.Equal("Billing", stored.Str("department"));
        Assert.Equal("York", stored.Str("city"));
        Assert.Equal(before.DisplayName, stored.Str("displayName"));
    }

    [Fact]
    public async Task UpdateAsync_SeededCloudUserOfMediumTenant_ChangesTheProperty()
    {
        var all = (await Users.ListPageAsync(EmulatorFixture.Medium, new UserQuery { Top = 300 }, Ct)).Value!.Users;
        var id = all.Where(u => !u.OnPremisesSyncEnabled && !string.IsNullOrEmpty(u.Department)).Skip(10).First().Id;

        var result = await Users.UpdateAsync(EmulatorFixture.Medium, id, new UserChanges { Department = "Night Shift" }, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal("Night Shift", fx.MediumTenant.FindUser(id)!.Str("department"));
        // Graph accepts the SDK's @odata.type annotation in a PATCH body (graph-endpoints.md §1.4); only real properties count.
        var patch = fx.Emulator.Journal.Entries.Last(e => e.Method == "PATCH" && e.Path.EndsWith(id, StringComparison.Ordinal));
        Assert.Contains("department", patch.BodyProperties!);
        Assert.DoesNotContain(patch.BodyProperties!, p => !p.StartsWith('@') && p != "department");
    }

    [Fact]
    public async Task UpdateAsync_NoChanges_DoesNotCallGraph()
    {
        fx.Emulator.Journal.Reset();

        var result = await Users.UpdateAsync(EmulatorFixture.Small, "anyone", new UserChanges(), Ct);

        Assert.True(result.Succeeded);
        Assert.Empty(fx.Emulator.Journal.Entries);
    }

    [Fact]
    public async Task SetAccountEnabledAsync_CloudUser_ChangesState()
    {
        var created = (await Users.CreateAsync(EmulatorFixture.Small, New(Domain), Ct)).Value!;

        var disabled = await Users.SetAccountEnabledAsync(EmulatorFixture.Small, created.Id, false, Ct);
        var afterDisable = fx.SmallTenant.FindUser(created.Id)!.Bool("accountEnabled");
        var enabled = await Users.SetAccountEnabledAsync(EmulatorFixture.Small, created.Id, true, Ct);

        Assert.True(disabled.Succeeded, disabled.Failure?.Message);
        Assert.False(afterDisable);
        Assert.True(enabled.Succeeded);
        Assert.True(fx.SmallTenant.FindUser(created.Id)!.Bool("accountEnabled"));
    }

    [Fact]
    public async Task SetAccountEnabledAsync_SyncedUser_IsRefusedWithoutPatch()
    {
        var synced = fx.MediumTenant.Users().FirstOrDefault(u => u.Bool("onPremisesSyncEnabled") == true);
        Assert.NotNull(synced);
        fx.Emulator.Journal.Reset();

        var result = await Users.SetAccountEnabledAsync(EmulatorFixture.Medium, synced.Str("id")!, false, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("on-premises", result.Failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fx.Emulator.Journal.Entries, e => e.Method == "PATCH");
        Assert.Equal(synced.Bool("accountEnabled"), fx.MediumTenant.FindUser(synced.Str("id")!)!.Bool("accountEnabled"));
    }

    [Fact]
    public async Task DeleteAsync_MovesUserToDeletedItems()
    {
        var created = (await Users.CreateAsync(EmulatorFixture.Small, New(Domain), Ct)).Value!;

        var result = await Users.DeleteAsync(EmulatorFixture.Small, created.Id, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Null(fx.SmallTenant.FindUser(created.Id));
        Assert.True(fx.SmallTenant.IsDeleted(created.Id));
    }

    [Fact]
    public async Task CreateManyAsync_25Users_TwoBatches_ResultsInOrder()
    {
        var batch = Enumerable.Range(0, 25).Select(_ => New(Domain, "many")).ToList();
        batch[7] = batch[7] with { Password = "" };
        fx.Emulator.Journal.Reset();

        var results = await Users.CreateManyAsync(EmulatorFixture.Small, batch, Ct);

        Assert.Equal(25, results.Count);
        Assert.False(results[7].Succeeded);
        for (var i = 0; i < batch.Count; i++)
        {
            if (i == 7)
                continue;
            Assert.True(results[i].Succeeded, results[i].Failure?.Message);
            Assert.Equal(batch[i].UserPrincipalName, results[i].Value!.UserPrincipalName);
            Assert.Equal(results[i].Value!.Id, fx.SmallTenant.FindUser(batch[i].UserPrincipalName)!.Str("id"));
        }
        Assert.Null(fx.SmallTenant.FindUser(batch[7].UserPrincipalName));
        Assert.Equal(2, fx.Emulator.Journal.Entries.Count(e => e.Path.EndsWith("$batch", StringComparison.Ordinal) && !e.BatchItem));
    }
}
