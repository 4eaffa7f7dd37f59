using System.Text.Json.Nodes;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Graph;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Features.Sherweb;

/// One check for a bought Sherweb seat (scheduled by <see cref="SherwebPurchase"/>, then by itself): when every chosen
/// licence the user lacks has a free unit in the tenant's subscribedSkus, assigns them; otherwise schedules the next check
/// with backoff, and after Sherweb:AssignmentCheck:MaxChecks reports that the seat never arrived. While a purchase whose
/// answer was lost is unconfirmed, each check also re-reads the subscription and records when Sherweb shows it. The outcome is audited,
/// written into the Add User operation's Licenses step (its result card is updated) and posted to the conversation.
internal sealed class SherwebLicenseJob(
    PendingOperationStore operations,
    SherwebSeats seats,
    LicenseOperations licenses,
    OperationAudit audit,
    JobScheduler jobs,
    ProactiveMessenger messenger,
    IOptions<SherwebPurchaseOptions> options,
    TimeProvider time,
    ILogger<SherwebLicenseJob> log) : IOperationJob
{
    public async Task ExecuteAsync(Guid operationId, CancellationToken ct)
    {
        var op = await operations.GetAsync(operationId, ct);
        if (op is null || op.State != OperationState.Running || op.ActionId != SherwebPurchase.ActionId)
            return;
        var parameters = op.Parameters;
        var parentId = Guid.Parse(parameters[SherwebPurchase.ParentKey]!.GetValue<string>());
        var userId = parameters[SherwebPurchase.UserIdKey]!.GetValue<string>();
        var chosen = (parameters[SherwebPurchase.LicensesKey] as JsonArray ?? []).Select(n => Guid.Parse(n!.GetValue<string>())).ToList();
        var checks = parameters[SherwebPurchase.ChecksKey]?.GetValue<int>() ?? 0;
        var check = options.Value.AssignmentCheck;

        // The create job stores its results after the purchase; wait for it (not counted as a check).
        if (await operations.GetAsync(parentId, ct) is { State: OperationState.Running })
        {
            jobs.Schedule<SherwebLicenseJob>(op.Id, time.GetUtcNow() + check.DelayBefore(1));
            return;
        }

        var subscriptionId = parameters[SherwebPurchase.SubscriptionIdKey]?.GetValue<string>();
        var label = parameters[SherwebPurchase.SubscriptionLabelKey]?.GetValue<string>() ?? "the Sherweb subscription";
        var quantity = parameters[SherwebPurchase.QuantityKey]?.GetValue<int>();
        var unconfirmed = parameters[SherwebPurchase.ConfirmedKey]?.GetValue<bool>() == false;
        if (unconfirmed && subscriptionId is not null && quantity is { } asked && await seats.ShowsAsync(op.TenantId, subscriptionId, asked, ct) == true)
        {
            var confirmed = new TargetResult("reconciliation", "Sherweb purchase", true,
                $"Raised {label} to {asked} seats: Sherweb's answer was lost, but the subscription now shows {asked} seats, so the purchase went through; it was not sent again.");
            var moved = await operations.TryTransitionAsync(op.Id, OperationState.Running, op.Version, o => o with
            {
                Parameters = With(o.Parameters, SherwebPurchase.ConfirmedKey, true),
                Results = [.. o.Results, confirmed],
            }, ct);
            if (moved is null)
                return; // another run moved it on
            await audit.TargetAsync(moved, confirmed, ct);
            await UpdateParentAsync(parentId, SherwebPurchase.PurchaseStep, true, confirmed.Message, ct);
            (op, parameters, unconfirmed) = (moved, moved.Parameters, false);
        }

        var unknownNote = unconfirmed
            ? $" Sherweb has not confirmed the purchase whose answer was lost: check Sherweb subscription {subscriptionId} ({label}); it shows {quantity} seats if it went through."
            : "";
        var held = await licenses.ListUserSkuIdsAsync(op.TenantId, userId, ct);
        var skus = await licenses.ListSkusAsync(op.TenantId, ct);
        string? lastError = held.Failure?.Message ?? skus.Failure?.Message;
        if (held.Succeeded && skus.Succeeded)
        {
            var needed = chosen.Except(held.Value!).ToList();
            if (needed.Count == 0)
            {
                await FinishAsync(op, parentId, true, "The license is assigned (it was assigned in the meantime)." + unknownNote, ct);
                return;
            }

            var names = needed.Select(id => skus.Value!.FirstOrDefault(s => s.SkuId == id)?.FriendlyName ?? id.ToString()).ToList();
            if (needed.All(id => skus.Value!.Any(s => s.SkuId == id && s.Available >= 1)))
            {
                var assigned = await licenses.AssignAsync(op.TenantId, userId, needed, [], ct);
                if (assigned.Succeeded)
                {
                    await FinishAsync(op, parentId, true, $"Assigned {string.Join(", ", names)} after the purchased seat arrived (check {checks + 1})." + unknownNote, ct);
                    return;
                }
                lastError = assigned.Failure.Message;
            }
            else
            {
                lastError = $"No free seat yet of {string.Join(", ", names.Where((_, i) => !skus.Value!.Any(s => s.SkuId == needed[i] && s.Available >= 1)))}.";
            }
        }

        checks++;
        if (checks >= check.MaxChecks)
        {
            await FinishAsync(op, parentId, false, unconfirmed
                ? $"Still unknown whether a seat was bought: Sherweb's answer to the purchase was lost, and in {SherwebCards.Describe(check.TotalWait)} ({checks} checks) "
                    + $"neither did {label} show {quantity} seats nor did a seat show up in the tenant. No license was assigned. "
                    + $"Check Sherweb subscription {subscriptionId} before buying by hand."
                : $"The purchased seat did not show up in the tenant within {SherwebCards.Describe(check.TotalWait)} ({checks} checks; last: {lastError?.TrimEnd('.')}). "
                    + $"{label} was raised to {quantity} seats in Sherweb. Assign the license by hand once the seat appears (Retry Licenses on the Add user result).", ct);
            return;
        }

        var next = await operations.TryTransitionAsync(op.Id, OperationState.Running, op.Version, o => o with
        {
            Parameters = With(o.Parameters, SherwebPurchase.ChecksKey, checks),
        }, ct);
        if (next is null)
            return; // another run moved it on
        jobs.Schedule<SherwebLicenseJob>(op.Id, time.GetUtcNow() + check.DelayBefore(checks + 1));
        log.LogInformation("Sherweb seat for {OperationId} not there yet (check {Check} of {Max}); next in {Delay}", op.Id, checks, check.MaxChecks, check.DelayBefore(checks + 1));
    }

    private async Task FinishAsync(PendingOperation op, Guid parentId, bool succeeded, string message, CancellationToken ct)
    {
        var result = new TargetResult("assignment", "License assignment", succeeded, message);
        var done = await operations.TryTransitionAsync(op.Id, OperationState.Running, op.Version, o => o with
        {
            State = succeeded ? OperationState.Succeeded : OperationState.Failed,
            Results = [.. o.Results, result],
        }, ct);
        if (done is null)
            return;
        await audit.TargetAsync(done, result, ct);
        log.LogInformation("Sherweb license assignment {OperationId} finished: {Outcome}", op.Id, succeeded ? "assigned" : "not assigned");

        var parent = await UpdateParentAsync(parentId, SherwebPurchase.LicensesStep, succeeded, message, ct);
        var target = op.Targets.Count > 0 ? op.Targets[0] : null;
        var upn = target?.UserPrincipalName ?? target?.Id ?? "the user";
        if (done.RequestConversation is not { } conversation)
            return;
        try
        {
            if (parent?.RequestCardActivityId is { } activity)
                await messenger.UpdateCardAsync(conversation, activity, AddUserCards.Result(parent, upn), ct);
            await messenger.SendCardAsync(conversation, SherwebCards.Assignment(upn, op.TenantName, succeeded, message), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Could not post the Sherweb license result of {OperationId}: {ErrorType}", op.Id, e.GetType().Name);
        }
    }

    /// Writes an outcome into one step of the Add User operation (compare-and-swap, retried on a concurrent change).
    private async Task<PendingOperation?> UpdateParentAsync(Guid parentId, string step, bool succeeded, string message, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var parent = await operations.GetAsync(parentId, ct);
            if (parent is null || parent.State is not (OperationState.Succeeded or OperationState.PartlySucceeded))
                return parent;
            var results = parent.Results.Select(r => r.TargetId == step ? r with { Succeeded = succeeded, Message = message } : r).ToList();
            var state = results.All(r => r.Succeeded) ? OperationState.Succeeded : OperationState.PartlySucceeded;
            var updated = await operations.TryTransitionAsync(parent.Id, parent.State, parent.Version, o => o with { State = state, Results = results }, ct);
            if (updated is not null)
                return updated;
        }
        return null;
    }

    private static JsonObject With(JsonObject parameters, string key, JsonNode value)
    {
        var copy = parameters.DeepClone().AsObject();
        copy[key] = value;
        return copy;
    }
}
