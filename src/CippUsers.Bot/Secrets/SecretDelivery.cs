using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;

namespace CippUsers.Bot.Secrets;

/// Hands a generated password or Temporary Access Pass to the requesting tech in their 1:1 chat with the bot, and nowhere
/// else (DESIGN decision 4). The secret is never logged, stored, put in an exception or in the returned text; the caller
/// shows the returned text on the shared card instead.
internal sealed class SecretDelivery(ProactiveMessenger messenger, ILogger<SecretDelivery> log)
{
    public const string SentPrivately = "sent to you in a private chat";

    /// <param name="from">Any conversation of the tech's tenant (the one the request came from).</param>
    /// <param name="requester">The tech who asked; only they receive the secret.</param>
    /// <param name="label">What the secret is, e.g. "Temporary Access Pass".</param>
    /// <param name="subject">Whose secret it is, e.g. the user's UPN.</param>
    /// <param name="secret">The secret itself.</param>
    /// <param name="note">Extra text for the private card (validity, must-change flag); must not contain the secret.</param>
    public async Task<string> DeliverAsync(ConversationAddress from, Caller requester, string label, string subject, string secret, string? note, CancellationToken ct)
    {
        try
        {
            var chat = await messenger.GetOrCreatePersonalChatAsync(from, requester, ct);
            await messenger.SendCardAsync(chat, SecretCard(label, subject, secret, note), ct);
            log.LogInformation("Delivered a {Label} to requester {Requester} privately", label, requester.AadObjectId);
            return $"{label} {SentPrivately}";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Log the exception type only: connector exceptions can echo the request body, which holds the secret.
            log.LogError("Could not deliver a {Label} to requester {Requester}: {ErrorType}", label, requester.AadObjectId, e.GetType().Name);
            return $"{label} could not be delivered to your private chat; open a chat with the bot and try again";
        }
    }

    internal static AdaptiveCard SecretCard(string label, string subject, string secret, string? note)
    {
        var card = new AdaptiveCard();
        card.Add(new TextBlock($"{label} for {subject}") { Weight = TextWeight.Bolder, Size = TextSize.Medium });
        card.Add(new TextBlock(secret) { Size = TextSize.Large, Weight = TextWeight.Bolder, Color = TextColor.Accent });
        if (note is not null)
        {
            card.Add(new TextBlock(note) { IsSubtle = true });
        }

        card.Add(new TextBlock("Only you can see this. Do not paste it into a shared chat.") { IsSubtle = true, Size = TextSize.Small });
        card.FallbackText = $"{label} for {subject}";
        return card;
    }
}
