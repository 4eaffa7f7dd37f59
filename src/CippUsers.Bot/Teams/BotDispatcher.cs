using CippUsers.Bot.Access;
using System.Text.Json;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Features.Help;

namespace CippUsers.Bot.Teams;

/// <summary>Routes a turn to the command or verb handler from the route table. No Bot Builder types here.</summary>
internal sealed class BotDispatcher(BotRoutes routes, ILogger<BotDispatcher> log, TechGroups? techGroups = null)
{
    public async Task OnMessageAsync(BotTurn turn, string? text, CancellationToken ct)
    {
        await RefreshGroupsAsync(turn, ct);
        var line = MentionText.Strip(text);
        if (turn.Files.Count > 0)
        {
            await OnFilesAsync(turn, line, ct);
            return;
        }

        if (line.Length == 0)
        {
            await turn.SendCardAsync(HelpCards.Help(routes.Commands), ct);
            return;
        }

        var match = routes.MatchCommand(line);
        if (match is null)
        {
            log.LogInformation("Unknown command from {AadObjectId} in a {ConversationKind} conversation", turn.Caller.AadObjectId, turn.Conversation.Kind);
            await turn.SendCardAsync(HelpCards.DidYouMean(line, EditDistance.Closest(line, routes)), ct);
            return;
        }

        log.LogInformation("Command {Command} from {AadObjectId} in a {ConversationKind} conversation", match.Route.Name, turn.Caller.AadObjectId, turn.Conversation.Kind);
        try
        {
            await match.Route.Handler(turn, match.Arguments, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Command {Command} failed", match.Route.Name);
            await turn.SendTextAsync($"Sorry, \"{match.Route.Name}\" failed. Please try again; if it keeps failing, tell your admin.", ct);
            return;
        }

        await FlushReplyAsync(turn, ct);
    }

    // A message with files goes to the file route for each file's type; the text typed with it goes along.
    private async Task OnFilesAsync(BotTurn turn, string line, CancellationToken ct)
    {
        if (turn.Conversation.Kind != ConversationKind.Personal)
        {
            await turn.SendTextAsync("Files work only in our 1:1 chat: open a chat with me and send the file there.", ct);
            return;
        }

        foreach (var file in turn.Files)
        {
            var handler = routes.FindFile(file.FileType);
            if (handler is null)
            {
                log.LogInformation("File of unhandled type {FileType} from {AadObjectId}", file.FileType, turn.Caller.AadObjectId);
                var accepted = routes.FileTypes.Count == 0 ? "none" : string.Join(", ", routes.FileTypes.Select(t => "." + t));
                await turn.SendTextAsync($"I can't do anything with a .{file.FileType} file. File types I accept: {accepted}.", ct);
                continue;
            }

            log.LogInformation("File of type {FileType} from {AadObjectId}", file.FileType, turn.Caller.AadObjectId);
            try
            {
                await handler(turn, file, line, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "File handler for {FileType} failed", file.FileType);
                await turn.SendTextAsync("Sorry, I could not handle that file. Please try again; if it keeps failing, tell your admin.", ct);
                return;
            }
        }

        await FlushReplyAsync(turn, ct);
    }

    /// <summary>Action.Execute (invoke) and Action.Submit (message with value.verb) both land here. Returns the
    /// handler's Respond* answer, or null when it answered by posting messages only.</summary>
    public async Task<InvokeReply?> OnVerbAsync(BotTurn turn, string verb, JsonElement data, CancellationToken ct)
    {
        await RefreshGroupsAsync(turn, ct);
        var handler = routes.FindVerb(verb);
        if (handler is null)
        {
            log.LogWarning("Unknown card verb {Verb} from {AadObjectId}", verb, turn.Caller.AadObjectId);
            return Finish(turn, InvokeReply.ForError(400, "This button is no longer supported. Type \"help\" to start again."));
        }

        log.LogInformation("Card verb {Verb} from {AadObjectId}", verb, turn.Caller.AadObjectId);
        try
        {
            await handler(turn, data, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Card verb {Verb} failed", verb);
            return Finish(turn, InvokeReply.ForError(500, "Something went wrong while handling that button. Please try again."));
        }

        return turn.Reply;
    }

    public async Task OnSubmitAsync(BotTurn turn, string verb, JsonElement data, CancellationToken ct)
    {
        if (await OnVerbAsync(turn, verb, data, ct) is { } reply)
        {
            await SendAsMessageAsync(turn, reply, ct);
        }
    }

    private static InvokeReply Finish(BotTurn turn, InvokeReply error)
    {
        turn.RespondWithError(error.StatusCode, error.Value?["message"]?.GetValue<string>() ?? "Error");
        return turn.Reply!;
    }

    private static Task FlushReplyAsync(BotTurn turn, CancellationToken ct)
        => turn.Reply is { } reply ? SendAsMessageAsync(turn, reply, ct) : Task.CompletedTask;

    // Outside an invoke the Respond* answers become ordinary messages.
    private static async Task SendAsMessageAsync(BotTurn turn, InvokeReply reply, CancellationToken ct)
    {
        if (reply.Card is { } card)
        {
            await turn.SendCardAsync(card, ct);
        }
        else if (reply.Type == InvokeReply.MessageType)
        {
            await turn.SendTextAsync(reply.Value?.GetValue<string>() ?? string.Empty, ct);
        }
        else
        {
            await turn.SendTextAsync(reply.Value?["message"]?.GetValue<string>() ?? "Something went wrong.", ct);
        }
    }

    private Task RefreshGroupsAsync(BotTurn turn, CancellationToken ct) =>
        techGroups is null ? Task.CompletedTask : techGroups.RefreshAsync(turn.Caller.AadObjectId, ct);
}
