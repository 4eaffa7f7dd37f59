using CippUsers.Bot.Catalog;

namespace CippUsers.Bot.Access;

/// What an action needs for a given request, after configuration overrides and the bulk threshold.
internal sealed record ActionRequirement(PolicyClass Policy, Role MinimumRole, bool NeedsConfirmation, bool NeedsApproval, string? ApprovalReason);
