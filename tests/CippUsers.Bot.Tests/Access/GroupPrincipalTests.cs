using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Bot.Tests.Operations;
using CippUsers.TenantEmulator;

namespace CippUsers.Bot.Tests.Access;

/// Roles granted to a group of the MSP tenant reach the techs in that group (read through Graph at the start of a turn).
public sealed class GroupPrincipalTests
{
    [Fact]
    public async Task Disable_CallerInAGroupWithARole_GetsTheConfirmationCard_OthersAreRefused()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false });
        // The first seeded tenant stands in for the MSP's own tenant: its groups and members are the techs'.
        var home = emulator.Tenants[0];
        var directory = emulator.State.Tenant(home.TenantId);
        var (groupId, memberId) = directory.Groups()
            .Select(g => g["id"]!.GetValue<string>())
            .SelectMany(id => directory.GroupMemberIds(id).Where(m => directory.FindUser(m) is not null).Select(m => (id, m)))
            .First();
        var outsiderId = directory.Users().Select(u => u["id"]!.GetValue<string>())
            .First(id => !directory.GroupMemberIds(groupId).Contains(id));
        var target = SafetyBotFixture.EligibleUsers(emulator, home).First(u => OperationFlow.Id(u) != memberId);

        await using var bot = await BotHarness.StartAsync(options =>
        {
            options.UseEmulatorHost(emulator);
            options.Settings["Graph:HomeTenantId"] = home.TenantId;
            options.Settings["Access:Principals:0:Id"] = groupId;
            options.Settings["Access:Principals:0:Roles:0"] = "helpdesk";
            options.Settings["Access:Principals:0:Tenants:0"] = "*";
        });

        var member = new TestUser(memberId, "Group Member", "29:group-member");
        var (card, _) = await OperationFlow.RequestAsync(bot, $"disable {OperationFlow.Upn(target)}", member);
        Assert.Contains(home.DisplayName, card.CardText, StringComparison.Ordinal);

        var outsider = new TestUser(outsiderId, "Not In Group", "29:not-in-group");
        var refused = await OperationFlow.SendOwnAsync(bot, $"disable {OperationFlow.Upn(target)}", outsider);
        Assert.Contains(refused, r => (r.Text ?? r.CardText ?? "").Contains("no role", StringComparison.OrdinalIgnoreCase));
        Assert.True(directory.FindUser(OperationFlow.Id(target))!["accountEnabled"]!.GetValue<bool>());
    }
}
