using CippUsers.Bot.Teams;

namespace CippUsers.Bot.Tests.Teams;

public sealed class BotRoutesTests
{
    private static readonly CommandHandler Noop = (_, _, _) => Task.CompletedTask;

    // ===== Duplicate names =====

    [Fact]
    public void Command_DuplicateName_Throws()
    {
        var routes = new BotRoutes();
        routes.Command("users", "d", "users contoso", Noop);

        var e = Assert.Throws<InvalidOperationException>(() => routes.Command("USERS", "d", "e", Noop));
        Assert.Contains("'users'", e.Message);
    }

    [Fact]
    public void Command_AliasCollidesWithName_Throws()
    {
        var routes = new BotRoutes();
        routes.Command("help", "d", "help", Noop);

        Assert.Throws<InvalidOperationException>(() => routes.Command("commands", "d", "e", Noop, "help"));
    }

    [Fact]
    public void Verb_Duplicate_Throws()
    {
        var routes = new BotRoutes();
        routes.Verb("user.show", (_, _, _) => Task.CompletedTask);

        Assert.Throws<InvalidOperationException>(() => routes.Verb("user.show", (_, _, _) => Task.CompletedTask));
    }

    // ===== Matching =====

    [Theory]
    [InlineData("reset password bob@contoso.com", "reset password", "bob@contoso.com")]
    [InlineData("reset bob@contoso.com", "reset", "bob@contoso.com")]
    [InlineData("Reset   Password   bob", "reset password", "bob")]
    [InlineData("add user", "add user", "")]
    [InlineData("notify here", "notify here", "")]
    [InlineData("notify", "notify", "")]
    public void MatchCommand_LongestWholeWordPrefixWins(string text, string expected, string arguments)
    {
        var routes = new BotRoutes();
        routes.Command("reset", "d", "e", Noop);
        routes.Command("reset password", "d", "e", Noop);
        routes.Command("add user", "d", "e", Noop);
        routes.Command("notify", "d", "e", Noop);
        routes.Command("notify here", "d", "e", Noop);

        var match = routes.MatchCommand(text);

        Assert.NotNull(match);
        Assert.Equal(expected, match.Route.Name);
        Assert.Equal(arguments, match.Arguments);
    }

    [Fact]
    public void MatchCommand_PrefixOfAWord_DoesNotMatch()
    {
        var routes = new BotRoutes();
        routes.Command("user", "d", "e", Noop);

        Assert.Null(routes.MatchCommand("users contoso"));
    }

    [Fact]
    public void MatchCommand_Alias_ResolvesToRoute()
    {
        var routes = new BotRoutes();
        routes.Command("help", "d", "e", Noop, "?");

        Assert.Equal("help", routes.MatchCommand("? now")!.Route.Name);
    }

    [Fact]
    public void Closest_SuggestsNearestCommandsByEditDistance()
    {
        var routes = new BotRoutes();
        foreach (var name in new[] { "help", "tenants", "users", "reset password", "add user" })
        {
            routes.Command(name, "d", "e", Noop);
        }

        var suggestions = EditDistance.Closest("resett pasword bob", routes);

        Assert.Equal("reset password", suggestions[0].Name);
        Assert.Equal(3, suggestions.Count);
    }

    [Fact]
    public void FindVerb_IsExactAndCaseSensitive()
    {
        var routes = new BotRoutes();
        VerbHandler handler = (_, _, _) => Task.CompletedTask;
        routes.Verb("help.show", handler);

        Assert.Same(handler, routes.FindVerb("help.show"));
        Assert.Null(routes.FindVerb("Help.Show"));
    }
}
