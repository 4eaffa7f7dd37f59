using CippUsers.Bot.Cards;
using CippUsers.Bot.Storage;
using CippUsers.Graph;

namespace CippUsers.Bot.Catalog;

/// An action whose values the tech fills in on a card of its own before the confirmation (Edit User). The typed command
/// and the user card's menu both open that card instead of an empty confirmation. An interface because the chat commands
/// live in Operations and must not reference the features that own the cards.
internal interface IActionForm
{
    string ActionId { get; }

    /// The prefilled card for one user, or null when the user cannot be read (the caller then says so).
    Task<AdaptiveCard?> CardAsync(CustomerTenant tenant, OperationTarget target, CancellationToken ct);
}
