using CippUsers.Bot.Conversations;
using CippUsers.Bot.Features.Sherweb;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Secrets;
using CippUsers.Bot.Storage;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.AddUser;

/// Creates the user of a confirmed Add User operation: create + follow-up steps, results stored per step, the result
/// card replaces the confirmation card, and a generated password goes only to the requester's 1:1 chat.
internal sealed class AddUserJob(
    PendingOperationStore operations,
    UserProvisioning provisioning,
    PreferenceStore preferences,
    AddUserPasswords passwords,
    SecretDelivery secrets,
    ProactiveMessenger messenger,
    OperationAudit audit,
    SherwebPurchase sherweb,
    TimeProvider time,
    ILogger<AddUserJob> log) : IOperationJob
{
    public const string CreatedUserIdKey = "createdUserId";

    public async Task ExecuteAsync(Guid operationId, CancellationToken ct)
    {
        var op = await operations.GetAsync(operationId, ct);
        if (op is null || op.State != OperationState.Running || op.ActionId != AddUserFeature.ActionId)
            return;

        // A scheduled creation starts with a compare-and-swap on the version a Cancel would also need: exactly one wins.
        if (AddUserSchedule.At(op.Parameters) is not null && !AddUserSchedule.Started(op.Parameters))
        {
            var parameters0 = op.Parameters.DeepClone().AsObject();
            parameters0[AddUserSchedule.StartedAtKey] = time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            var started = await operations.TryTransitionAsync(op.Id, OperationState.Running, op.Version, o => o with { Parameters = parameters0 }, ct);
            if (started is null)
            {
                log.LogInformation("Add user {OperationId}: not started, it changed meanwhile (cancelled)", op.Id);
                return;
            }
            op = started;
        }

        var form = AddUserForm.FromParameters(op.Parameters);
        var typed = passwords.Take(op.Id);
        List<TargetResult> results;
        string? createdId = null;
        string? generated = null;
        if (form.TypedPassword && typed is null)
        {
            results = [new TargetResult(nameof(ProvisioningStepKind.Create), "Create", false,
                "The typed password was lost (the bot restarted before the create). Nothing was created; start again.")];
        }
        else
        {
            var prefs = await AddUserPreferences.ReadAsync(preferences, op.TenantId, ct);
            var password = typed ?? (generated = prefs.NewPassword());
            var result = await provisioning.ProvisionAsync(op.TenantId, form.ToRequest(password), ct);
            createdId = result.User?.Id;
            results = [.. result.Steps.Select(s => new TargetResult(s.Kind.ToString(), StepTitle(s.Kind), s.Succeeded, s.Message))];
            results = await sherweb.AfterProvisioningAsync(op, createdId, results, ct);
        }

        if (generated is not null && createdId is not null && op.RequestConversation is { } from)
        {
            var delivered = await secrets.DeliverAsync(from, new Caller(op.RequesterAadObjectId, op.RequesterName, op.RequesterAadObjectId),
                "Password", form.UserPrincipalName, generated, form.MustChange ? "The user must change it at first sign-in." : null, ct);
            results.Add(new TargetResult("Password", "Password", !delivered.Contains("could not", StringComparison.Ordinal), delivered));
        }

        var state = results.All(r => r.Succeeded) ? OperationState.Succeeded
            : createdId is not null ? OperationState.PartlySucceeded : OperationState.Failed;
        var parameters = op.Parameters.DeepClone().AsObject();
        if (createdId is not null)
            parameters[CreatedUserIdKey] = createdId;
        var done = await operations.TryTransitionAsync(op.Id, OperationState.Running, op.Version,
            o => o with { State = state, Results = results, Parameters = parameters }, ct);
        if (done is null)
            return;
        log.LogInformation("Add user {OperationId} finished as {State}", op.Id, state);
        await audit.TargetAsync(done, new TargetResult(createdId ?? form.UserPrincipalName, form.UserPrincipalName, state == OperationState.Succeeded,
            string.Join(" ", results.Select(r => $"{(r.Succeeded ? "✓" : "✗")} {r.DisplayName}."))), ct);

        if (done.RequestConversation is { } conversation)
        {
            var card = AddUserCards.Result(done, form.UserPrincipalName);
            try
            {
                if (done.RequestCardActivityId is { } activity)
                    await messenger.UpdateCardAsync(conversation, activity, card, ct);
                else
                    await messenger.SendCardAsync(conversation, card, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Could not post the Add user result of {OperationId}: {ErrorType}", op.Id, e.GetType().Name);
            }
        }
    }

    public static string StepTitle(ProvisioningStepKind kind) => kind switch
    {
        ProvisioningStepKind.Create => "Create",
        ProvisioningStepKind.Aliases => "Aliases",
        ProvisioningStepKind.Licenses => "Licenses",
        ProvisioningStepKind.Manager => "Manager",
        ProvisioningStepKind.CopyGroups => "Copy groups",
        ProvisioningStepKind.CustomAttributes => "Custom attributes",
        ProvisioningStepKind.Groups => "Groups",
        _ => kind.ToString(),
    };
}
