using CippUsers.Bot.Cards;
using CippUsers.Bot.Files;
using CippUsers.Bot.Teams;

namespace CippUsers.Bot.Conversations;

/// <summary>One incoming activity: who sent it, where, and how to answer. Sends are rate limited and retried.</summary>
public sealed class BotTurn
{
    private readonly TurnConnection _connection;

    internal BotTurn(TurnConnection connection, Caller caller, ConversationAddress conversation, string? replyToId, bool isInvoke)
    {
        _connection = connection;
        Caller = caller;
        Conversation = conversation;
        ReplyToId = replyToId;
        IsInvoke = isInvoke;
    }

    public Caller Caller { get; }

    public ConversationAddress Conversation { get; }

    /// <summary>For a card action: the id of the message that holds the card (update it for everyone with
    /// <see cref="UpdateCardAsync"/>).</summary>
    public string? ReplyToId { get; }

    /// <summary>True for Action.Execute invokes: answer with one of the Respond* methods.</summary>
    public bool IsInvoke { get; }

    /// <summary>Files the tech attached to this message (1:1 chat only; open them with <see cref="InboundFiles"/>).</summary>
    public IReadOnlyList<InboundFile> Files { get; init; } = [];

    internal InvokeReply? Reply { get; private set; }

    public Task<string> SendCardAsync(AdaptiveCard card, CancellationToken ct) => _connection.SendCardAsync(card, ct);

    public Task<string> SendTextAsync(string text, CancellationToken ct) => _connection.SendTextAsync(text, ct);

    /// <summary>Replaces a card the bot sent earlier in this conversation, for everyone.</summary>
    public Task UpdateCardAsync(string activityId, AdaptiveCard card, CancellationToken ct)
        => _connection.UpdateCardAsync(activityId, card, ct);

    /// <summary>Invoke: the card shown to the user who clicked. Message turn: sent as a new card.</summary>
    public void RespondWithCard(AdaptiveCard card) => Reply = InvokeReply.ForCard(card);

    /// <summary>Invoke: a short message shown to the user who clicked. Message turn: sent as text.</summary>
    public void RespondWithMessage(string text) => Reply = InvokeReply.ForMessage(text);

    /// <summary>Invoke: an error response (status code in the body, HTTP 200). Message turn: sent as text.</summary>
    public void RespondWithError(int statusCode, string message) => Reply = InvokeReply.ForError(statusCode, message);
}
