using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Tests.Storage;

public sealed class SecretGuardTests
{
    [Theory]
    [InlineData("password")]
    [InlineData("newPassword")]
    [InlineData("Password")]
    [InlineData("tap")]
    [InlineData("TAP")]
    [InlineData("temporaryAccessPass")]
    [InlineData("clientSecret")]
    [InlineData("client_secret")]
    [InlineData("accessToken")]
    [InlineData("pwd")]
    public void Names_of_secrets_are_recognised(string name) => Assert.True(SecretGuard.IsSecretName(name));

    [Theory]
    [InlineData("forceChangePasswordNextSignIn")]
    [InlineData("passwordPolicies")]
    [InlineData("tapLifetimeInMinutes")]
    [InlineData("enabled")]
    [InlineData("displayName")]
    [InlineData("bypassApproval")]
    [InlineData("startDateTime")]
    public void Ordinary_names_are_allowed(string name) => Assert.False(SecretGuard.IsSecretName(name));
}
