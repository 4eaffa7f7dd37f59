using System.Text.Json.Nodes;
using CippUsers.Bot.Access;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Features.Audit;
using CippUsers.Bot.Features.Pending;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Secrets;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;

namespace CippUsers.Bot.Tests.Operations;

/// Every card of the safety core, in every state, for the schema tests.
public sealed class SafetyCardSamples : ICardSampleSource
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    internal static PendingOperation Operation(OperationState state, int targets = 2, params TargetResult[] results) => new()
    {
        Id = Guid.Parse("6a1e2c3d-4b5f-4a6b-8c7d-9e0f1a2b3c4d"),
        RequesterAadObjectId = "u-1",
        RequesterName = "Alex Rivera",
        TenantId = "t-1",
        TenantName = "Contoso \"Dental\"",
        ActionId = UserActions.SetSignInStateId,
        Targets = [.. Enumerable.Range(1, targets).Select(i => new OperationTarget($"id-{i}", $"User {i}", $"user{i}@contoso.com"))],
        Parameters = new JsonObject { [UserActions.EnabledInput] = "false" },
        State = state,
        CreatedAt = Now,
        ExpiresAt = Now.AddMinutes(15),
        DecidedByAadObjectId = state is OperationState.AwaitingConfirmation ? null : "u-2",
        DecidedByName = state is OperationState.AwaitingConfirmation ? null : "Blair Chen",
        DecidedAt = state is OperationState.AwaitingConfirmation ? null : Now.AddMinutes(1),
        Results = results,
    };

    public IEnumerable<CardSample> Samples()
    {
        var signIn = UserActions.All.Single(a => a.Id == UserActions.SetSignInStateId);
        var requirement = new ActionRequirement(PolicyClass.Destructive, Role.Helpdesk, true, false, null);
        var approval = requirement with { NeedsApproval = true, ApprovalReason = "bulk request on 30 users (over 25)" };
        yield return new("Operations/Confirmation", OperationCards.Confirmation(signIn, Operation(OperationState.AwaitingConfirmation), requirement, new HashSet<string> { UserActions.EnabledInput }));
        yield return new("Operations/ConfirmationNeedsApproval", OperationCards.Confirmation(signIn, Operation(OperationState.AwaitingConfirmation, 30), approval, new HashSet<string> { UserActions.EnabledInput }));
        foreach (var action in UserActions.All.Where(a => a.Inputs.Count > 0))
        {
            var op = Operation(OperationState.AwaitingConfirmation) with { ActionId = action.Id, Parameters = [] };
            yield return new($"Operations/ConfirmationInputs/{action.Id}", OperationCards.Confirmation(action, op, requirement, new HashSet<string>()));
        }

        yield return new("Operations/Approval", OperationCards.Approval(signIn, Operation(OperationState.AwaitingApproval, 30), "bulk request on 30 users (over 25)"));
        foreach (var state in Enum.GetValues<OperationState>())
        {
            yield return new($"Operations/Status/{state}", OperationCards.Status(signIn, Operation(state, 2,
                new TargetResult("id-1", "User 1", true, "Sign-in disabled."), new TargetResult("id-2", "User 2", false, "That object was not found."))));
        }

        yield return new("Operations/StatusManyResults", OperationCards.Status(signIn, Operation(OperationState.Succeeded, 60,
            [.. Enumerable.Range(1, 60).Select(i => new TargetResult($"id-{i}", $"User {i}", true, "Sign-in disabled."))])));
        yield return new("Operations/Disambiguation", OperationCards.Disambiguation(signIn, Operation(OperationState.Draft, 0),
            [("jane", [new OperationTarget("a", "Jane Doe", "jane.doe@contoso.com"), new OperationTarget("b", "Jane Roe", "jane.roe@contoso.com")])]));
        yield return new("Operations/Refusal", OperationCards.Refusal("Set Sign In State: not done", "You need the helpdesk role."));
        yield return new("Pending/List", PendingCards.List([Operation(OperationState.AwaitingApproval)], [Operation(OperationState.AwaitingConfirmation)], new ActionCatalog([])));
        yield return new("Pending/Empty", PendingCards.List([], [], new ActionCatalog([])));
        yield return new("Audit/Entries", AuditCards.Entries(
            [new AuditEntry(1, Now, "u-1", "Alex Rivera", "t-1", UserActions.SetSignInStateId, "id-1", "User 1", "succeeded", "Sign-in disabled.", new JsonObject { ["enabled"] = "false" }, "c-1", Guid.NewGuid())],
            "Contoso", "jane"));
        yield return new("Audit/Empty", AuditCards.Entries([], null, null));
        yield return new("Secrets/PrivateSecret", SecretDelivery.SecretCard("Temporary Access Pass", "jane@contoso.com", "fake-secret", "Valid for 60 minutes."));
    }
}
