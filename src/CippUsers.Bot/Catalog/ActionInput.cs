namespace CippUsers.Bot.Catalog;

internal enum InputKind
{
    Text,
    MultilineText,
    Number,
    Toggle,
    Choice,
}

/// One value of a choice input: Value is what the operation stores, Title what the card shows.
internal sealed record InputChoice(string Value, string Title);

/// A field an action asks for; rendered as a card input on the confirmation card.
internal sealed record ActionInput(
    string Id,
    string Label,
    InputKind Kind,
    bool Required = false,
    string? DefaultValue = null,
    IReadOnlyList<InputChoice>? Choices = null)
{
    public static ActionInput Toggle(string id, string label, bool defaultValue = false)
        => new(id, label, InputKind.Toggle, DefaultValue: defaultValue ? "true" : "false");

    public static ActionInput Choice(string id, string label, params InputChoice[] choices)
        => new(id, label, InputKind.Choice, Required: true, DefaultValue: choices[0].Value, Choices: choices);

    public static ActionInput Text(string id, string label, bool required = true)
        => new(id, label, InputKind.Text, Required: required);
}
