namespace CippUsers.Bot.Cards;

public enum TextSize { Default, Small, Medium, Large, ExtraLarge }

public enum TextWeight { Default, Lighter, Bolder }

public enum TextColor { Default, Dark, Light, Accent, Good, Warning, Attention }

public enum ContainerStyle { Default, Emphasis, Good, Attention, Warning, Accent }

/// <summary>Filtered (typeahead) renders in Teams but the official 1.5 JSON schema does not list it, so a card using it
/// fails the schema test; prefer Compact for long lists until the schema allows it.</summary>
public enum ChoiceSetStyle { Compact, Expanded, Filtered }

public enum ActionStyle { Default, Positive, Destructive }

public enum Spacing { Default, None, Small, Medium, Large, ExtraLarge, Padding }

public enum ImageSize { Auto, Stretch, Small, Medium, Large }

public enum HorizontalAlignment { Left, Center, Right }

internal static class CardEnumNames
{
    // Adaptive Card enum values are camelCase strings ("extraLarge", "attention").
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var name = value.ToString();
        return string.Concat(char.ToLowerInvariant(name[0]).ToString(), name.AsSpan(1));
    }
}
