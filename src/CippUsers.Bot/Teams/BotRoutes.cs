namespace CippUsers.Bot.Teams;

/// <summary>The route table: command names (and aliases) and card verbs. A duplicate throws at start-up.</summary>
public sealed class BotRoutes
{
    private readonly List<CommandRoute> _commands = [];
    private readonly Dictionary<string, CommandRoute> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, VerbHandler> _verbs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileHandler> _files = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<CommandRoute> Commands => _commands;

    public IReadOnlyCollection<string> Verbs => _verbs.Keys;

    public void Command(string name, string description, string example, CommandHandler handler, params string[] aliases)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        var route = new CommandRoute(Normalize(name), description, example, handler, [.. aliases.Select(Normalize)]);
        foreach (var key in route.Aliases.Prepend(route.Name))
        {
            if (!_byName.TryAdd(key, route))
            {
                throw new InvalidOperationException($"The command '{key}' is registered twice (by '{_byName[key].Name}' and '{route.Name}').");
            }
        }

        _commands.Add(route);
    }

    public void Verb(string verb, VerbHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verb);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_verbs.TryAdd(verb, handler))
        {
            throw new InvalidOperationException($"The card verb '{verb}' is registered twice.");
        }
    }

    /// <summary>Files the tech sends in the 1:1 chat, by type (extension without the dot, e.g. "csv"). One handler per
    /// type: a feature that only wants the file while a wizard waits checks its own state and answers otherwise.</summary>
    public void File(string fileType, FileHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileType);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_files.TryAdd(fileType.TrimStart('.'), handler))
        {
            throw new InvalidOperationException($"The file type '{fileType}' is registered twice.");
        }
    }

    public IReadOnlyCollection<string> FileTypes => _files.Keys;

    public FileHandler? FindFile(string fileType) => _files.GetValueOrDefault(fileType.TrimStart('.'));

    /// <summary>Finds the command for a message: the longest registered name that is a whole-word prefix wins.</summary>
    public CommandMatch? MatchCommand(string text)
    {
        var normalized = Normalize(text);
        if (normalized.Length == 0)
        {
            return null;
        }

        CommandMatch? best = null;
        foreach (var (key, route) in _byName)
        {
            if (normalized.Length >= key.Length
                && normalized.StartsWith(key, StringComparison.OrdinalIgnoreCase)
                && (normalized.Length == key.Length || normalized[key.Length] == ' ')
                && (best is null || key.Length > best.MatchedName.Length))
            {
                best = new CommandMatch(route, key, normalized[key.Length..].Trim());
            }
        }

        return best;
    }

    public VerbHandler? FindVerb(string verb) => _verbs.GetValueOrDefault(verb);

    /// <summary>Every name and alias, for "did you mean".</summary>
    public IEnumerable<(string Name, CommandRoute Route)> AllNames() => _byName.Select(p => (p.Key, p.Value));

    // Collapses runs of whitespace so "reset   password" matches "reset password".
    internal static string Normalize(string text)
        => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

public sealed record CommandMatch(CommandRoute Route, string MatchedName, string Arguments);
