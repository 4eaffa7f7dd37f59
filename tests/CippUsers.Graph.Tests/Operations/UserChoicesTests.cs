using CippUsers.Graph.Tests.Infrastructure;
using static CippUsers.Graph.Tests.Infrastructure.TestUsers;

namespace CippUsers.Graph.Tests.Operations;

/// UserOperations.ChoicesAsync, the manager / copy-groups-from pickers of Add User, against the emulator.
public class UserChoicesTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private UserOperations Users => fx.Get<UserOperations>();

    [Fact]
    public async Task ChoicesAsync_WithoutText_CountsTheTenant_AndListsEveryoneByName()
    {
        var result = await Users.ChoicesAsync(EmulatorFixture.Small, null, 100, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var live = fx.SmallTenant.Users();
        Assert.Equal(live.Count, result.Value!.TotalCount);
        Assert.Equal(live.Select(u => u.Str("id")).Order(), result.Value.Users.Select(u => u.Id).Order());
        Assert.Equal(result.Value.Users.Select(u => u.DisplayName).Order(StringComparer.OrdinalIgnoreCase), result.Value.Users.Select(u => u.DisplayName));
        Assert.All(result.Value.Users, u => Assert.Contains('@', u.UserPrincipalName));
    }

    [Fact]
    public async Task ChoicesAsync_WithText_ReturnsAtMostTopMatches_OfALargeTenant()
    {
        var target = fx.MediumTenant.Users()[10];
        var word = target.Str("displayName")!.Split(' ')[0];

        var result = await Users.ChoicesAsync(EmulatorFixture.Medium, word, 25, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.InRange(result.Value!.Users.Count, 1, 25);
        Assert.True(result.Value.TotalCount >= result.Value.Users.Count);
        Assert.All(result.Value.Users, u => Assert.True(
            u.DisplayName.Contains(word, StringComparison.OrdinalIgnoreCase) || u.UserPrincipalName.Contains(word, StringComparison.OrdinalIgnoreCase), u.DisplayName));
        Assert.True(fx.MediumTenant.UserCount > 100);
    }
}
