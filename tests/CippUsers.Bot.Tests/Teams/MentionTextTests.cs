using CippUsers.Bot.Teams;

namespace CippUsers.Bot.Tests.Teams;

public sealed class MentionTextTests
{
    [Theory]
    [InlineData("<at>CippUsers</at> help", "help")]
    [InlineData("<at>Cipp Users</at>&nbsp;reset   password bob", "reset password bob")]
    [InlineData("hey <at>CippUsers</at> tenants", "hey tenants")]
    [InlineData("<AT id=\"0\">CippUsers</AT>tenants", "tenants")]
    [InlineData("   ", "")]
    [InlineData(null, "")]
    public void Strip_RemovesMentionsAndNormalizesSpaces(string? input, string expected)
        => Assert.Equal(expected, MentionText.Strip(input));
}
