using CippUsers.Graph.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using static CippUsers.Graph.Tests.Infrastructure.TestUsers;

namespace CippUsers.Graph.Tests.Operations;

public class GroupOperationsTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private GroupOperations Groups => fx.Get<GroupOperations>();

    private string GroupId(string name) => fx.SmallTenant.FindGroup(name)!.Str("id")!;

    private async Task<TenantUser> NewUserAsync() =>
        (await fx.Get<UserOperations>().CreateAsync(EmulatorFixture.Small, New(SeededTenants.ContosoDentalDomain), Ct)).Value!;

    [Fact]
    public async Task SearchAsync_ByPrefix_ClassifiesKinds()
    {
        var all = await Groups.SearchAsync(EmulatorFixture.Small, null, 999, Ct);

        Assert.True(all.Succeeded, all.Failure?.Message);
        Assert.Equal(GroupKind.Microsoft365, all.Value!.Single(g => g.DisplayName == "All Staff").Kind);
        Assert.Equal(GroupKind.Security, all.Value!.Single(g => g.DisplayName == "IT Admins").Kind);
        Assert.Equal(GroupKind.MailEnabledSecurity, all.Value!.Single(g => g.DisplayName == "Finance Approvers").Kind);
        Assert.Equal(GroupKind.Distribution, all.Value!.Single(g => g.DisplayName == "All Company").Kind);
        Assert.True(all.Value!.Single(g => g.DisplayName == "Managers (dynamic)").IsDynamic);

        var some = await Groups.SearchAsync(EmulatorFixture.Small, "vpn", 10, Ct);
        Assert.Equal("VPN Users", Assert.Single(some.Value!).DisplayName);
    }

    [Fact]
    public async Task AddAndRemoveMember_SecurityGroup_ChangesMembers()
    {
        var user = await NewUserAsync();
        var group = GroupId("VPN Users");

        var added = await Groups.AddMemberAsync(EmulatorFixture.Small, group, user.Id, Ct);
        var inAfterAdd = fx.SmallTenant.GroupMemberIds(group).Contains(user.Id);
        var members = await Groups.ListMembersAsync(EmulatorFixture.Small, group, Ct);
        var again = await Groups.AddMemberAsync(EmulatorFixture.Small, group, user.Id, Ct);
        var removed = await Groups.RemoveMemberAsync(EmulatorFixture.Small, group, user.Id, Ct);

        Assert.True(added.Succeeded, added.Failure?.Message);
        Assert.True(inAfterAdd);
        Assert.Contains(members.Value!, m => m.Id == user.Id && m.Type == "user");
        Assert.Contains("already a member", again.Failure!.Message, StringComparison.Ordinal);
        Assert.True(removed.Succeeded, removed.Failure?.Message);
        Assert.DoesNotContain(user.Id, fx.SmallTenant.GroupMemberIds(group));
        Assert.NotNull(fx.SmallTenant.FindUser(user.Id));
    }

    [Theory]
    [InlineData("Finance Approvers", "Exchange Online")]
    [InlineData("All Company", "distribution list")]
    [InlineData("Managers (dynamic)", "dynamic group")]
    public async Task AddMemberAsync_ReadOnlyGroups_RefusedWithReasonAndNoWrite(string groupName, string reason)
    {
        var user = await NewUserAsync();
        fx.Emulator.Journal.Reset();

        var result = await Groups.AddMemberAsync(EmulatorFixture.Small, GroupId(groupName), user.Id, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fx.Emulator.Journal.Entries, e => e.Method == "POST");
    }

    [Fact]
    public async Task AddMemberAsync_SyncedGroup_Refused()
    {
        var synced = fx.MediumTenant.FindGroup("SG-FileShare-Users");
        Assert.NotNull(synced);
        var user = (await fx.Get<UserOperations>().CreateAsync(EmulatorFixture.Medium, New(SeededTenants.FabrikamLogisticsDomain), Ct)).Value!;

        var result = await Groups.AddMemberAsync(EmulatorFixture.Medium, synced.Str("id")!, user.Id, Ct);

        Assert.Contains("on-premises", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopyGroupsAsync_ReportsEachGroup_AndAddsOnlyManageableOnes()
    {
        var source = fx.SmallTenant.Users()
            .Where(u => u.Str("userType") == "Member" && u.Bool("accountEnabled") == true)
            .OrderByDescending(u => fx.SmallTenant.Groups().Count(g => fx.SmallTenant.GroupMemberIds(g.Str("id")!).Contains(u.Str("id")!)))
            .First();
        var sourceGroups = fx.SmallTenant.Groups().Where(g => fx.SmallTenant.GroupMemberIds(g.Str("id")!).Contains(source.Str("id")!)).ToList();
        var target = await NewUserAsync();

        var result = await Groups.CopyGroupsAsync(EmulatorFixture.Small, source.Str("id")!, target.Id, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var report = result.Value!;
        Assert.Equal(sourceGroups.Count, report.Groups.Count);
        foreach (var line in report.Groups)
        {
            var isMember = fx.SmallTenant.GroupMemberIds(line.Group.Id).Contains(target.Id);
            Assert.Equal(line.Status == GroupChangeStatus.Added, isMember);
            if (line.Group.WhyMembershipIsReadOnly is not null)
                Assert.Equal(GroupChangeStatus.Skipped, line.Status);
        }
        Assert.Contains(report.Groups, g => g.Status == GroupChangeStatus.Added);
        Assert.Contains(report.Groups, g => g.Group.DisplayName == "All Company" && g.Status == GroupChangeStatus.Skipped);
    }

    [Fact]
    public async Task AddMemberToGroupsAsync_UsesOneBatch_ForSeveralGroups()
    {
        var user = await NewUserAsync();
        var targets = new[] { GroupId("VPN Users"), GroupId("IT Admins"), GroupId("Sales Team") };
        fx.Emulator.Journal.Reset();

        var result = await Groups.AddMemberToGroupsAsync(EmulatorFixture.Small, user.Id, targets, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.All(result.Value!, o => Assert.Equal(GroupChangeStatus.Added, o.Status));
        Assert.All(targets, g => Assert.Contains(user.Id, fx.SmallTenant.GroupMemberIds(g)));
        var entries = fx.Emulator.Journal.Entries;
        Assert.Single(entries, e => e.Method == "POST" && e.Path.EndsWith("$batch", StringComparison.Ordinal) && !e.BatchItem);
        Assert.Equal(3, entries.Count(e => e.BatchItem && e.Method == "POST"));
    }
}
