using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Access;
using CippUsers.Bot.Approvals;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Files;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Teams;
using CippUsers.Graph;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Features.Imports;

/// The bulk add / bulk invite wizard: `bulk add [tenant]` / `bulk invite [tenant]` → options → rows (pasted CSV, a CSV file
/// sent in the 1:1 chat, manual rows) → preview with every row error → confirm (and approval when the policy asks) →
/// one durable job. State lives in the pending operation (options, manual rows) and the import_rows table; cards carry
/// only the operation id, and every step re-checks the caller.
internal sealed class ImportFeature(
    IEnumerable<IImportKind> kinds,
    CustomerTenants tenants,
    PendingOperationStore operations,
    ImportRowStore rows,
    ImportPasswords passwords,
    AccessPolicy policy,
    OperationAudit audit,
    ApprovalDecisions decisions,
    ConversationStore conversations,
    ProactiveMessenger messenger,
    FileDelivery files,
    InboundFiles inbound,
    JobScheduler jobs,
    IOptions<ImportOptions> options,
    IOptions<ApprovalOptions> approvals,
    TimeProvider time,
    ILogger<ImportFeature> log) : IFeature
{
    public const string ManualRowsKey = "_manualRows";
    public const string RowCountKey = "rowCount";
    public const string ValidCountKey = "validCount";
    public const string IgnoredColumnsKey = "ignoredColumns";

    /// How long a wizard may sit unfinished before its operation expires.
    public static readonly TimeSpan WizardLifetime = TimeSpan.FromHours(2);

    public void Map(BotRoutes routes)
    {
        foreach (var kind in kinds)
        {
            var k = kind;
            routes.Command(k.Command, k.CommandDescription, $"{k.Command} contoso", (turn, args, ct) => StartAsync(k, turn, args, ct));
        }
        routes.Verb(ImportCards.OptionsVerb, OptionsAsync);
        routes.Verb(ImportCards.PreviewVerb, PreviewAsync);
        routes.Verb(ImportCards.ManualVerb, ManualAsync);
        routes.Verb(ImportCards.BackVerb, BackAsync);
        routes.Verb(ImportCards.ConfirmVerb, ConfirmAsync);
        routes.Verb(ImportCards.CancelVerb, CancelAsync);
        routes.Verb(ImportCards.ApproveVerb, (turn, data, ct) => DecideAsync(turn, data, approve: true, ct));
        routes.Verb(ImportCards.RejectVerb, (turn, data, ct) => DecideAsync(turn, data, approve: false, ct));
        routes.Verb(ImportCards.ExampleVerb, ExampleAsync);
    }

    /// A CSV file sent in the 1:1 chat: read (bounded download from Teams' hosts only) while a wizard waits for its rows.
    public async Task FileAsync(BotTurn turn, InboundFile file, string text, CancellationToken ct)
    {
        using var download = await inbound.OpenAsync(file, ct);
        if (!download.Succeeded)
        {
            await turn.SendTextAsync(download.Problem!, ct);
            return;
        }
        if (!await AcceptFileAsync(turn, download.Content!, ct))
            await turn.SendTextAsync("I read CSV files while a `bulk add` or `bulk invite` waits for its rows. Start one first, for example `bulk add contoso`.", ct);
    }

    private async Task StartAsync(IImportKind kind, BotTurn turn, string arguments, CancellationToken ct)
    {
        var text = arguments.Trim();
        var tenant = text.Length == 0 ? (tenants.All.Count == 1 ? tenants.All[0] : null) : tenants.Find(text);
        if (tenant is null)
        {
            await turn.SendTextAsync(text.Length == 0
                ? $"Which tenant? For example: `{kind.Command} contoso`."
                : $"I don't know the tenant “{text}”. `tenants` lists the ones I manage.", ct);
            return;
        }
        if (Check(turn.Caller, kind, tenant, 1) is { } refusal)
        {
            await turn.SendCardAsync(ImportCards.Message($"{ImportCards.Title(kind)}: not done", refusal), ct);
            return;
        }

        var op = await CreateDraftAsync(kind, turn, tenant, [], ct);
        var card = ImportCards.Options(kind, op, await kind.OptionInputsAsync(tenant.TenantId, op.Parameters, ct), null);
        var activityId = await turn.SendCardAsync(card, ct);
        await operations.SetRequestCardAsync(op.Id, turn.Conversation, activityId, ct);
        log.LogInformation("Import {OperationId} ({ActionId}) started by {Requester} in {TenantId}", op.Id, kind.ActionId, turn.Caller.AadObjectId, tenant.TenantId);
    }

    /// The wizard's server-side record: a Draft operation until the tech confirms the preview.
    private async Task<PendingOperation> CreateDraftAsync(IImportKind kind, BotTurn turn, CustomerTenant tenant, JsonObject parameters, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Guid.NewGuid();
        var op = new PendingOperation
        {
            Id = id,
            CorrelationId = id.ToString(),
            RequesterAadObjectId = turn.Caller.AadObjectId,
            RequesterName = turn.Caller.Name,
            TenantId = tenant.TenantId,
            TenantName = tenant.DisplayName,
            ActionId = kind.ActionId,
            State = OperationState.Draft,
            Parameters = parameters,
            CreatedAt = now,
            ExpiresAt = now + WizardLifetime,
            UpdatedAt = now,
            RequestConversation = turn.Conversation,
        };
        await operations.CreateAsync(op, ct);
        return op;
    }

    /// Starts a one-row import (Invite Guest): the row goes through the same validation, confirmation and job.
    public async Task StartSingleAsync(IImportKind kind, BotTurn turn, CustomerTenant tenant, JsonObject optionValues, ImportRow row, CancellationToken ct)
    {
        var op = await CreateDraftAsync(kind, turn, tenant, optionValues, ct);
        await PreviewRowsAsync(turn, kind, op, tenant, [row], [], ct);
    }

    private async Task OptionsAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (await LoadAsync(turn, data, OperationState.Draft, ct) is not var (op, kind, tenant))
            return;
        var (values, error) = kind.ReadOptions(data);
        if (error is not null)
        {
            turn.RespondWithCard(ImportCards.Options(kind, op, await kind.OptionInputsAsync(tenant.TenantId, values, ct), error));
            return;
        }
        var manual = op.Parameters[ManualRowsKey]?.DeepClone();
        if (manual is not null)
            values[ManualRowsKey] = manual;
        var next = await operations.TryTransitionAsync(op.Id, OperationState.Draft, op.Version, o => o with { Parameters = values }, ct) ?? op;
        turn.RespondWithCard(RowsCard(kind, next, tenant, null));
    }

    private async Task ManualAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (await LoadAsync(turn, data, OperationState.Draft, ct) is not var (op, kind, tenant))
            return;
        var row = new JsonObject();
        foreach (var input in kind.ManualInputs(tenant.DefaultDomain))
        {
            if (Read(data, input.InputId) is { Length: > 0 } value && value.Length <= 1024)
                row[input.InputId] = value.Trim();
        }
        if (row.Count == 0)
        {
            turn.RespondWithCard(RowsCard(kind, op, tenant, "Fill in the row before adding it."));
            return;
        }
        var parameters = op.Parameters.DeepClone().AsObject();
        var list = parameters[ManualRowsKey] as JsonArray ?? [];
        if (list.Count >= options.Value.MaxRows)
        {
            turn.RespondWithCard(RowsCard(kind, op, tenant, $"At most {options.Value.MaxRows:N0} rows per import."));
            return;
        }
        list.Add(row);
        parameters[ManualRowsKey] = list;
        var next = await operations.TryTransitionAsync(op.Id, OperationState.Draft, op.Version, o => o with { Parameters = parameters }, ct) ?? op;
        turn.RespondWithCard(RowsCard(kind, next, tenant, null));
    }

    private async Task PreviewAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (await LoadAsync(turn, data, OperationState.Draft, ct) is not var (op, kind, tenant))
            return;
        var manual = ManualRows(op);
        var csv = Read(data, ImportCards.CsvInput);
        var parsed = string.IsNullOrWhiteSpace(csv) ? null
            : CsvImportReader.Read(csv, kind.Columns, kind.RequiredAnyOf, options.Value.MaxRows, options.Value.MaxBytes);
        if (parsed is { Succeeded: false })
        {
            turn.RespondWithCard(RowsCard(kind, op, tenant, parsed.Error));
            return;
        }
        var all = (parsed?.Rows ?? []).Concat(manual).ToList();
        if (all.Count == 0)
        {
            turn.RespondWithCard(RowsCard(kind, op, tenant, $"Paste a CSV or add {kind.Noun} manually first."));
            return;
        }
        if (all.Count > options.Value.MaxRows)
        {
            turn.RespondWithCard(RowsCard(kind, op, tenant, $"That is {all.Count:N0} rows; at most {options.Value.MaxRows:N0} per import."));
            return;
        }
        await PreviewRowsAsync(turn, kind, op, tenant, all, parsed?.IgnoredColumns ?? [], ct);
    }

    /// A CSV file the tech sent while a wizard of theirs waits at step 2: read it and answer with the preview.
    public async Task<bool> AcceptFileAsync(BotTurn turn, Stream content, CancellationToken ct)
    {
        var waiting = await operations.ListAsync(new OperationQuery
        {
            States = [OperationState.Draft],
            RequesterAadObjectId = turn.Caller.AadObjectId,
            Limit = 5,
        }, ct);
        var op = waiting.FirstOrDefault(o => kinds.Any(k => k.ActionId == o.ActionId) && o.ExpiresAt > time.GetUtcNow());
        if (op is null || kinds.First(k => k.ActionId == op.ActionId) is not { } kind || tenants.Find(op.TenantId) is not { } tenant)
            return false;
        var parsed = await CsvImportReader.ReadAsync(content, kind.Columns, kind.RequiredAnyOf, options.Value.MaxRows, options.Value.MaxBytes, ct);
        if (!parsed.Succeeded)
        {
            await turn.SendCardAsync(RowsCard(kind, op, tenant, parsed.Error), ct);
            return true;
        }
        await PreviewRowsAsync(turn, kind, op, tenant, [.. parsed.Rows, .. ManualRows(op)], parsed.IgnoredColumns, ct);
        return true;
    }

    private async Task PreviewRowsAsync(BotTurn turn, IImportKind kind, PendingOperation op, CustomerTenant tenant,
        IReadOnlyList<ImportRow> all, IReadOnlyList<string> ignored, CancellationToken ct)
    {
        var check = await kind.ValidateAsync(tenant, op.Parameters, all, ct);
        if (check.Failure is not null)
        {
            Respond(turn, RowsCard(kind, op, tenant, check.Failure));
            return;
        }

        all = check.Normalized ?? all;
        await rows.ReplaceAsync(op.Id, all, ct);
        var invalid = check.Errors.Select(e => new RowUpdate(e.Key, ImportRowState.Invalid, null, string.Join("; ", e.Value))).ToList();
        await rows.UpdateAsync(op.Id, invalid, ct);
        passwords.Put(op.Id, all.Select((r, i) => (r, i)).Where(x => x.r.Password is not null && !check.Errors.ContainsKey(x.i))
            .ToDictionary(x => x.i, x => x.r.Password!));

        var valid = all.Count - check.Errors.Count;
        var parameters = op.Parameters.DeepClone().AsObject();
        parameters[RowCountKey] = all.Count;
        parameters[ValidCountKey] = valid;
        parameters[IgnoredColumnsKey] = new JsonArray([.. ignored.Select(c => (JsonNode)c)]);
        var now = time.GetUtcNow();
        var next = await operations.TryTransitionAsync(op.Id, OperationState.Draft, op.Version,
            o => o with { State = OperationState.AwaitingConfirmation, Parameters = parameters, ExpiresAt = now + approvals.Value.Expiry }, ct);
        if (next is null)
        {
            Respond(turn, ImportCards.Message(ImportCards.Title(kind), "This import changed meanwhile (another click?). Start again."));
            return;
        }
        var stored = await rows.ListAsync(op.Id, ct);
        var requirement = policy.RequirementFor(kind.Action, valid);
        Respond(turn, ImportCards.Preview(kind, next, stored, ignored, PreviewFields(kind), requirement.NeedsApproval ? requirement.ApprovalReason : null));
        log.LogInformation("Import {OperationId}: preview of {Rows} rows, {Invalid} with errors", op.Id, all.Count, check.Errors.Count);
    }

    private async Task BackAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (await LoadAsync(turn, data, OperationState.AwaitingConfirmation, ct) is not var (op, kind, tenant))
            return;
        var now = time.GetUtcNow();
        var next = await operations.TryTransitionAsync(op.Id, OperationState.AwaitingConfirmation, op.Version,
            o => o with { State = OperationState.Draft, ExpiresAt = now + WizardLifetime }, ct) ?? op;
        passwords.Forget(op.Id);
        turn.RespondWithCard(RowsCard(kind, next, tenant, null));
    }

    private async Task ConfirmAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (await LoadAsync(turn, data, OperationState.AwaitingConfirmation, ct) is not var (op, kind, tenant))
            return;
        var valid = op.Parameters[ValidCountKey]?.GetValue<int>() ?? 0;
        if (valid == 0)
        {
            turn.RespondWithCard(ImportCards.Message(ImportCards.Title(kind), "No row is ready; nothing to do."));
            return;
        }
        if (Check(turn.Caller, kind, tenant, valid) is { } refusal)
        {
            turn.RespondWithCard(ImportCards.Message($"{ImportCards.Title(kind)}: not done", refusal));
            return;
        }
        if (time.GetUtcNow() >= op.ExpiresAt)
        {
            await operations.TryTransitionAsync(op.Id, op.State, op.Version, o => o with { State = OperationState.Expired }, ct);
            turn.RespondWithCard(ImportCards.Message(ImportCards.Title(kind), "This preview expired; nothing was done. Start again."));
            return;
        }

        var requirement = policy.RequirementFor(kind.Action, valid);
        var now = time.GetUtcNow();
        var next = await operations.TryTransitionAsync(op.Id, OperationState.AwaitingConfirmation, op.Version, o => o with
        {
            State = requirement.NeedsApproval ? OperationState.AwaitingApproval : OperationState.Running,
            DecidedByAadObjectId = turn.Caller.AadObjectId,
            DecidedByName = turn.Caller.Name,
            DecidedAt = now,
            ExpiresAt = requirement.NeedsApproval ? now + approvals.Value.Expiry : o.ExpiresAt,
            RequestConversation = turn.Conversation,
            RequestCardActivityId = turn.ReplyToId ?? o.RequestCardActivityId,
        }, ct);
        if (next is null)
        {
            turn.RespondWithCard(ImportCards.Message(ImportCards.Title(kind), "This import was already confirmed or cancelled."));
            return;
        }
        await audit.DecisionAsync(next, turn.Caller.AadObjectId, turn.Caller.Name, "confirmed", $"{valid} rows", ct);
        if (requirement.NeedsApproval)
        {
            var channel = await conversations.GetHelpdeskChannelAsync(op.TenantId, ct) ?? turn.Conversation;
            var activityId = await messenger.SendCardAsync(channel, ImportCards.Approval(kind, next, valid, requirement.ApprovalReason ?? "approval required"), ct);
            await operations.SetApprovalCardAsync(op.Id, channel, activityId, ct);
            turn.RespondWithCard(ImportCards.Message(ImportCards.Title(kind), $"Waiting for an approver ({requirement.ApprovalReason}). Nothing runs until one approves."));
            return;
        }
        kind.Enqueue(jobs, op.Id);
        var stored = await rows.ListAsync(op.Id, ct);
        turn.RespondWithCard(ImportCards.Progress(kind, next, ImportCounts.Of(stored)));
    }

    private async Task DecideAsync(BotTurn turn, JsonElement data, bool approve, CancellationToken ct)
    {
        var op = Guid.TryParse(Read(data, ImportCards.OperationKey), out var id) ? await operations.GetAsync(id, ct) : null;
        var kind = op is null ? null : kinds.FirstOrDefault(k => k.ActionId == op.ActionId);
        if (op is null || kind is null)
        {
            turn.RespondWithError(404, "I can't find that request; it may have expired.");
            return;
        }
        if (op.State != OperationState.AwaitingApproval)
        {
            turn.RespondWithCard(ImportCards.Message(ImportCards.Title(kind), $"This request is already {op.State}."));
            return;
        }
        var tenant = tenants.Find(op.TenantId);
        if (!await decisions.MayDecideAsync(turn, op, tenant is null ? null : new TenantRef(tenant.TenantId, tenant.DefaultDomain, tenant.DisplayName), approve, ct))
            return;
        if (time.GetUtcNow() >= op.ExpiresAt)
        {
            await operations.TryTransitionAsync(op.Id, op.State, op.Version, o => o with { State = OperationState.Expired }, ct);
            turn.RespondWithCard(ImportCards.Message(ImportCards.Title(kind), "This request expired; nothing was done."));
            return;
        }
        if (await decisions.RecordAsync(turn, op, approve, ct) is null)
        {
            turn.RespondWithCard(ImportCards.Message(ImportCards.Title(kind), "Someone else decided this request first."));
            return;
        }
        if (approve)
            kind.Enqueue(jobs, op.Id);
        else
            passwords.Forget(op.Id);
        turn.RespondWithCard(ImportCards.Message(ImportCards.Title(kind), approve ? $"Approved; {op.RequesterName}'s import is running." : "Rejected; nothing was done."));
    }

    private async Task CancelAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var op = Guid.TryParse(Read(data, ImportCards.OperationKey), out var id) ? await operations.GetAsync(id, ct) : null;
        var kind = op is null ? null : kinds.FirstOrDefault(k => k.ActionId == op.ActionId);
        if (op is null || kind is null || !IsRequester(turn, op))
        {
            turn.RespondWithError(op is null || kind is null ? 404 : 403, "Only the tech who started this import can cancel it.");
            return;
        }
        var cancelled = op.State is OperationState.Draft or OperationState.AwaitingConfirmation or OperationState.AwaitingApproval
            ? await operations.TryTransitionAsync(op.Id, op.State, op.Version, o => o with { State = OperationState.Cancelled }, ct)
            : null;
        if (cancelled is not null)
        {
            passwords.Forget(op.Id);
            await rows.DeleteAsync(op.Id, ct);
        }
        turn.RespondWithCard(ImportCards.Message(ImportCards.Title(kind), cancelled is null ? $"This import is already {op.State}." : "Cancelled; nothing was created."));
    }

    private async Task ExampleAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var op = Guid.TryParse(Read(data, ImportCards.OperationKey), out var id) ? await operations.GetAsync(id, ct) : null;
        var kind = op is null ? kinds.First() : kinds.FirstOrDefault(k => k.ActionId == op.ActionId) ?? kinds.First();
        var offer = await files.OfferAsync(turn.Conversation, turn.Caller, kind.ExampleFileName, $"An example CSV for {kind.Command}.",
            FileContent.FromBytes(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(kind.ExampleCsv)).ToArray()), ct);
        turn.RespondWithMessage(offer.Summary);
    }

    private Cards.AdaptiveCard RowsCard(IImportKind kind, PendingOperation op, CustomerTenant tenant, string? error) =>
        ImportCards.Rows(kind, op, (op.Parameters[ManualRowsKey] as JsonArray)?.Count ?? 0, kind.ManualInputs(tenant.DefaultDomain), error);

    private static IReadOnlyList<string> PreviewFields(IImportKind kind) => kind.Noun == "guests"
        ? [ImportColumns.DisplayName, ImportColumns.Mail]
        : [ImportColumns.DisplayName, ImportColumns.GivenName, ImportColumns.Surname, ImportColumns.UserPrincipalName, ImportColumns.Username, ImportColumns.Domain];

    private static List<ImportRow> ManualRows(PendingOperation op) =>
        [.. ((op.Parameters[ManualRowsKey] as JsonArray) ?? []).OfType<JsonObject>().Select((r, i) => new ImportRow(-(i + 1),
            r.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal)))];

    // Invoke: replaces the clicked card; message turn (a CSV file sent in chat): sent as a new card.
    private static void Respond(BotTurn turn, Cards.AdaptiveCard card) => turn.RespondWithCard(card);

    private async Task<(PendingOperation Op, IImportKind Kind, CustomerTenant Tenant)?> LoadAsync(BotTurn turn, JsonElement data, OperationState expected, CancellationToken ct)
    {
        var op = Guid.TryParse(Read(data, ImportCards.OperationKey), out var id) ? await operations.GetAsync(id, ct) : null;
        var kind = op is null ? null : kinds.FirstOrDefault(k => k.ActionId == op.ActionId);
        if (op is null || kind is null)
        {
            turn.RespondWithError(404, "I can't find that import; it may have expired.");
            return null;
        }
        if (!IsRequester(turn, op))
        {
            turn.RespondWithError(403, $"Only {op.RequesterName}, who started this import, can do that.");
            return null;
        }
        if (op.State != expected)
        {
            turn.RespondWithCard(ImportCards.Message(ImportCards.Title(kind), $"This import is {op.State}; that step is no longer possible."));
            return null;
        }
        var tenant = tenants.Find(op.TenantId);
        if (tenant is null || Check(turn.Caller, kind, tenant, 1) is { } refusal)
        {
            turn.RespondWithCard(ImportCards.Message($"{ImportCards.Title(kind)}: not done", tenant is null ? "The tenant is no longer managed." : Check(turn.Caller, kind, tenant, 1)!));
            return null;
        }
        return (op, kind, tenant);
    }

    private string? Check(Caller caller, IImportKind kind, CustomerTenant tenant, int rowCount)
    {
        var decision = policy.CanRequest(policy.For(caller.AadObjectId), kind.Action, new TenantRef(tenant.TenantId, tenant.DefaultDomain, tenant.DisplayName), rowCount);
        return decision.Allowed ? null : decision.Reason;
    }

    private static bool IsRequester(BotTurn turn, PendingOperation op) =>
        string.Equals(turn.Caller.AadObjectId, op.RequesterAadObjectId, StringComparison.OrdinalIgnoreCase);

    internal static string? Read(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;
}
