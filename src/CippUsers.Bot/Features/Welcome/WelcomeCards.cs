using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;

namespace CippUsers.Bot.Features.Welcome;

internal static class WelcomeCards
{
    public static AdaptiveCard Welcome(ConversationKind kind)
    {
        var intro = kind switch
        {
            ConversationKind.Personal => "Hi! I help you manage users in your customers' Microsoft 365 tenants, right here in this chat.",
            ConversationKind.GroupChat => "Hi all! Mention me with a command to look up or manage users in your customers' tenants.",
            ConversationKind.Channel => "Hi team! Mention me with a command in this channel; I post what I do here, and passwords only in 1:1 chats.",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return new AdaptiveCard { FallbackText = "Welcome to CippUsers" }
            .Add(new TextBlock("Welcome to CippUsers") { Size = TextSize.Large, Weight = TextWeight.Bolder })
            .Add(new TextBlock(intro))
            .Add(new FactSet([new Fact("help", "every command with an example"), new Fact("tenants", "the customer tenants I manage")]))
            .AddAction(new ExecuteAction("Show commands", CardVerbs.HelpShow) { Style = ActionStyle.Positive })
            .AddAction(new ExecuteAction("Show tenants", CardVerbs.TenantsShow));
    }
}
