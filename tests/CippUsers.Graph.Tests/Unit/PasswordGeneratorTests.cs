namespace CippUsers.Graph.Tests.Unit;

public class PasswordGeneratorTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(14)]
    [InlineData(64)]
    public void Classic_HasLengthAndAllFourClasses_AndPassesComplexity(int length)
    {
        for (var i = 0; i < 50; i++)
        {
            var password = PasswordGenerator.Classic(length);
            Assert.Equal(length, password.Length);
            Assert.Contains(password, char.IsUpper);
            Assert.Contains(password, char.IsLower);
            Assert.Contains(password, char.IsDigit);
            Assert.Contains(password, c => !char.IsLetterOrDigit(c));
            Assert.DoesNotContain(password, c => "0O1lIoijQ".Contains(c, StringComparison.Ordinal));
            Assert.Null(PasswordGenerator.CheckComplexity(password));
        }
    }

    [Fact]
    public void Classic_IsRandom()
    {
        Assert.Equal(20, Enumerable.Range(0, 20).Select(_ => PasswordGenerator.Classic()).Distinct().Count());
    }

    [Fact]
    public void Passphrase_HasWordsAndNumber_AndPassesComplexity()
    {
        var phrase = PasswordGenerator.Passphrase(4);
        Assert.Equal(4, phrase.Split('-').Length);
        Assert.Contains(phrase, char.IsDigit);
        Assert.Null(PasswordGenerator.CheckComplexity(phrase));
    }

    [Theory]
    [InlineData("short1A")]
    [InlineData("alllowercaseletters")]
    [InlineData("lowercase123456")]
    public void CheckComplexity_Refuses_WithoutEchoingThePassword(string password)
    {
        var reason = PasswordGenerator.CheckComplexity(password);
        Assert.NotNull(reason);
        Assert.DoesNotContain(password, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckComplexity_AcceptsThreeClasses() => Assert.Null(PasswordGenerator.CheckComplexity("Summer-garden7"));
}
