namespace CippUsers.Bot.Catalog;

/// A chat command generated from a catalog action. Preset fixes some inputs (for example `disable` sets enabled=false),
/// so one action can have several words that each mean one variant of it.
internal sealed record ActionCommand(
    string Name,
    string Description,
    string Example,
    IReadOnlyDictionary<string, string> Preset,
    IReadOnlyList<string> Aliases)
{
    public static ActionCommand Of(string name, string description, string example, params string[] aliases)
        => new(name, description, example, new Dictionary<string, string>(), aliases);

    public static ActionCommand Of(string name, string description, string example, (string Input, string Value) preset, params string[] aliases)
        => new(name, description, example, new Dictionary<string, string> { [preset.Input] = preset.Value }, aliases);
}
