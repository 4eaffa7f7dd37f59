using System.Diagnostics;
using CippUsers.Graph.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using static CippUsers.Graph.Tests.Infrastructure.TestUsers;

namespace CippUsers.Graph.Tests.Pipeline;

public class ReplicationTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task FollowUpsAfterCreate_WaitOutReplicationDelay()
    {
        fx.SmallTenant.SetRealism(new RealismSettings { ReplicationDelay = TimeSpan.FromSeconds(2) });
        try
        {
            var users = fx.Get<UserOperations>();
            var boss = fx.SmallTenant.Users().First(u => u.Str("userType") == "Member").Str("id")!;
            var sku = (await fx.Get<LicenseOperations>().ListSkusAsync(EmulatorFixture.Small, Ct)).Value!.First(s => s.Available > 0);
            var vpn = fx.SmallTenant.FindGroup("VPN Users")!.Str("id")!;
            fx.Emulator.Journal.Reset();

            var created = await users.CreateAsync(EmulatorFixture.Small, New(SeededTenants.ContosoDentalDomain), Ct);
            Assert.True(created.Succeeded, created.Failure?.Message);
            var id = created.Value!.Id;

            var manager = await fx.Get<ManagerOperations>().SetAsync(EmulatorFixture.Small, id, boss, Ct);
            var licence = await fx.Get<LicenseOperations>().AssignAsync(EmulatorFixture.Small, id, [sku.SkuId], [], Ct);
            var group = await fx.Get<GroupOperations>().AddMemberToGroupsAsync(EmulatorFixture.Small, id, [vpn], Ct);
            var read = await users.GetAsync(EmulatorFixture.Small, created.Value.UserPrincipalName, Ct);

            Assert.True(manager.Succeeded, manager.Failure?.Message);
            Assert.True(licence.Succeeded, licence.Failure?.Message);
            Assert.True(group.Succeeded, group.Failure?.Message);
            Assert.Equal(GroupChangeStatus.Added, Assert.Single(group.Value!).Status);
            Assert.True(read.Succeeded, read.Failure?.Message);
            Assert.Equal(boss, fx.SmallTenant.ManagerIdOf(id));
            Assert.Contains(id, fx.SmallTenant.GroupMemberIds(vpn));
            Assert.Contains(fx.Emulator.Journal.Entries, e => e.Status == 404 && e.Path.Contains(id, StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            fx.SmallTenant.SetRealism(new RealismSettings());
        }
    }

    [Fact]
    public async Task UnknownUser_FailsFast_EvenWithReplicationDelayOn()
    {
        fx.MediumTenant.SetRealism(new RealismSettings { ReplicationDelay = TimeSpan.FromSeconds(2) });
        try
        {
            var unknown = Guid.NewGuid().ToString();

            var result = await fx.Get<UserOperations>().GetAsync(EmulatorFixture.Medium, unknown, Ct);

            Assert.Equal(GraphFailureKind.NotFound, result.Failure!.Kind);
            // Only objects this library just created are waited for; an unknown id is asked for once.
            Assert.Single(fx.Emulator.Journal.Entries, e => e.Path.Contains(unknown, StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            fx.MediumTenant.SetRealism(new RealismSettings());
        }
    }
}
