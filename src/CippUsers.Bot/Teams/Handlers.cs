using System.Text.Json;
using CippUsers.Bot.Conversations;

namespace CippUsers.Bot.Teams;

/// <summary>Handles a typed command; <paramref name="arguments"/> is the text after the command name (trimmed).</summary>
public delegate Task CommandHandler(BotTurn turn, string arguments, CancellationToken ct);

/// <summary>Handles a card verb; <paramref name="data"/> is the action data merged with the card's inputs (untrusted).</summary>
public delegate Task VerbHandler(BotTurn turn, JsonElement data, CancellationToken ct);

/// <summary>Handles a file the tech sent in the 1:1 chat; <paramref name="text"/> is the message typed with it (may be
/// empty). Download it with <see cref="Files.InboundFiles.OpenAsync"/>.</summary>
public delegate Task FileHandler(BotTurn turn, Files.InboundFile file, string text, CancellationToken ct);

public sealed record CommandRoute(string Name, string Description, string Example, CommandHandler Handler, IReadOnlyList<string> Aliases);
