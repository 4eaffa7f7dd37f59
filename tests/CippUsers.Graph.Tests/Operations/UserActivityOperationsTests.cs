using System.Globalization;
using CippUsers.Graph.Tests.Infrastructure;
using static CippUsers.Graph.Tests.Infrastructure.TestUsers;

namespace CippUsers.Graph.Tests.Operations;

/// <summary>signInActivity (with its Entra ID P1 gate) and authentication methods, through the SDK against the emulator.</summary>
public class UserActivityOperationsTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task GetSignInsAsync_PremiumTenant_ReadsSignInActivity()
    {
        var stored = fx.MediumTenant.Users().First(u => u["signInActivity"] is not null);
        var expected = DateTimeOffset.Parse((string)stored["signInActivity"]!["lastSignInDateTime"]!, CultureInfo.InvariantCulture);

        var result = await fx.Get<UserActivityOperations>().GetSignInsAsync(EmulatorFixture.Medium, (string)stored["id"]!, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(expected, result.Value!.LastSignIn);
        Assert.NotNull(result.Value.LastSuccessfulSignIn);
        Assert.False(result.Value.Never);
    }

    [Fact]
    public async Task GetSignInsAsync_TenantWithoutP1_FailsWithTheNeedsPremiumCode()
    {
        var id = (string)fx.SmallTenant.Users()[1]["id"]!;

        var result = await fx.Get<UserActivityOperations>().GetSignInsAsync(EmulatorFixture.Small, id, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(GraphFailureKind.Forbidden, result.Failure!.Kind);
        Assert.Equal(UserActivityOperations.NeedsPremiumCode, result.Failure.Code);
        Assert.Contains("Entra ID P1", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMfaRegistrationAsync_ListsMethodTypes_PhoneCountsAsMfa_PasswordDoesNot()
    {
        var tenant = fx.SmallTenant;
        var withPhone = tenant.Users().First(u => tenant.AuthenticationMethods((string)u["id"]!).Count > 1);
        var passwordOnly = tenant.Users().First(u => tenant.AuthenticationMethods((string)u["id"]!).Count == 1);
        var operations = fx.Get<UserActivityOperations>();

        var registered = await operations.GetMfaRegistrationAsync(EmulatorFixture.Small, (string)withPhone["id"]!, Ct);
        var notRegistered = await operations.GetMfaRegistrationAsync(EmulatorFixture.Small, (string)passwordOnly["id"]!, Ct);
        var missing = await operations.GetMfaRegistrationAsync(EmulatorFixture.Small, Guid.NewGuid().ToString(), Ct);

        Assert.True(registered.Value!.IsMfaRegistered);
        Assert.Equal(["Phone"], registered.Value.SecondFactorNames);
        Assert.Contains("passwordAuthenticationMethod", registered.Value.MethodTypes);
        Assert.False(notRegistered.Value!.IsMfaRegistered);
        Assert.Equal(["passwordAuthenticationMethod"], notRegistered.Value.MethodTypes);
        Assert.Equal(GraphFailureKind.NotFound, missing.Failure!.Kind);
    }
}
