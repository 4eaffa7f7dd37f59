using CippUsers.Bot.Cards;
using CippUsers.Bot.Teams;

namespace CippUsers.Bot.Features.Help;

internal static class HelpCards
{
    /// <summary>Every command from the route table with its one-line description and an example.</summary>
    public static AdaptiveCard Help(IReadOnlyList<CommandRoute> commands)
    {
        var card = new AdaptiveCard { FallbackText = "CippUsers commands" }
            .Add(new TextBlock("What I can do") { Size = TextSize.Large, Weight = TextWeight.Bolder })
            .Add(new TextBlock("Type a command, or mention me in a channel. Tenants can be given by domain, name or id.") { IsSubtle = true });
        foreach (var command in commands.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            card.Add(CommandBlock(command));
        }

        return card;
    }

    /// <summary>Answer to text that matches no command: never silence.</summary>
    public static AdaptiveCard DidYouMean(string typed, IReadOnlyList<CommandRoute> suggestions)
    {
        var card = new AdaptiveCard { FallbackText = "I did not understand that" }
            .Add(new TextBlock($"I don't know \"{Shorten(typed)}\".") { Weight = TextWeight.Bolder });
        if (suggestions.Count > 0)
        {
            card.Add(new TextBlock("Did you mean:") { IsSubtle = true });
            foreach (var suggestion in suggestions)
            {
                card.Add(CommandBlock(suggestion));
            }
        }

        return card.AddAction(new ExecuteAction("Show all commands", CardVerbs.HelpShow));
    }

    private static Container CommandBlock(CommandRoute command)
    {
        var name = command.Aliases.Count == 0 ? command.Name : $"{command.Name} ({string.Join(", ", command.Aliases)})";
        return new Container(
        [
            new TextBlock(name) { Weight = TextWeight.Bolder },
            new TextBlock(command.Description) { Spacing = Spacing.None },
            new TextBlock($"Example: {command.Example}") { IsSubtle = true, Spacing = Spacing.None },
        ])
        { Separator = true };
    }

    // What a user typed is echoed back; keep the card small whatever they pasted.
    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
