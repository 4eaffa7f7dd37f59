using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Files;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Features.Imports;

/// What one chunk gave: each row's new state (Pending = transient failure, try again later) and whether Graph throttled.
internal sealed record ChunkOutcome(IReadOnlyList<RowUpdate> Updates, bool Throttled);

/// The kind-specific half of an import job (bulk add: create + follow-up steps; bulk invite: invitations).
internal interface IImportRowProcessor
{
    /// Rows per chunk (bulk add: a JSON batch of 20 creates).
    int ChunkSize { get; }

    /// After a restart: what happened to rows whose request was in flight (Created with the object id when the object
    /// exists, else Pending so they are sent again).
    Task<IReadOnlyList<RowUpdate>> RecoverAsync(PendingOperation op, IReadOnlyList<StoredRow> inFlight, CancellationToken ct);

    /// Runs a chunk of Pending rows (send) and Created rows (follow-up steps only).
    Task<ChunkOutcome> ProcessAsync(PendingOperation op, IReadOnlyList<StoredRow> chunk, CancellationToken ct);

    /// The results file name and header.
    (string FileName, IReadOnlyList<string> Header) ResultsFile(PendingOperation op);

    /// One line of the results file (the only place a generated password appears).
    IReadOnlyList<string?> ResultsLine(StoredRow row);
}

/// The shared job loop of bulk add and bulk invite: resume rows left in flight, send chunks with adaptive concurrency,
/// persist every row's state per chunk (InFlight before sending), edit the progress card at most once a second, then
/// finish the operation by compare-and-swap, post the results card and hand the results CSV to the requester's 1:1 chat.
internal sealed class ImportJobRunner(
    PendingOperationStore operations,
    ImportRowStore store,
    ImportPasswords passwords,
    ProactiveMessenger messenger,
    FileDelivery files,
    OperationAudit audit,
    IOptions<ImportOptions> options,
    TimeProvider time,
    ILogger<ImportJobRunner> log)
{
    /// Attempts per row when Graph keeps answering "throttled / unavailable" after its own retries.
    public const int MaxAttempts = 5;

    public async Task RunAsync(IImportKind kind, IImportRowProcessor processor, Guid operationId, CancellationToken ct)
    {
        var op = await operations.GetAsync(operationId, ct);
        if (op is null || op.State != OperationState.Running || op.ActionId != kind.ActionId)
            return;

        var rows = (await store.ListAsync(op.Id, ct)).ToDictionary(r => r.Index);
        var inFlight = rows.Values.Where(r => r.State == ImportRowState.InFlight).ToList();
        if (inFlight.Count > 0)
        {
            log.LogInformation("Import {OperationId}: resuming, {Count} row(s) were in flight", op.Id, inFlight.Count);
            var recovered = await processor.RecoverAsync(op, inFlight, ct);
            await store.UpdateAsync(op.Id, recovered, ct);
            Apply(rows, recovered);
        }

        var queue = new Queue<StoredRow>(rows.Values.Where(r => r.State is ImportRowState.Pending or ImportRowState.Created).OrderBy(r => r.Index));
        var attempts = new Dictionary<int, int>();
        var concurrency = new AdaptiveConcurrency(2, options.Value.MaxConcurrency);
        var progress = new ProgressCard(this, time, kind, op);
        var running = new List<Task<(StoredRow[] Chunk, ChunkOutcome Outcome)>>();

        while (queue.Count > 0 || running.Count > 0)
        {
            while (queue.Count > 0 && running.Count < concurrency.Limit)
            {
                var chunk = new List<StoredRow>();
                while (queue.Count > 0 && chunk.Count < processor.ChunkSize)
                    chunk.Add(queue.Dequeue());
                running.Add(SendAsync(op, processor, [.. chunk], ct));
            }

            var finished = await Task.WhenAny(running);
            running.Remove(finished);
            var (sent, outcome) = await finished;
            if (outcome.Throttled)
                concurrency.Throttled();
            else
                concurrency.Succeeded();

            var updates = new List<RowUpdate>();
            foreach (var update in outcome.Updates)
            {
                if (update.State != ImportRowState.Pending)
                {
                    updates.Add(update);
                    continue;
                }
                var tries = attempts[update.Index] = attempts.GetValueOrDefault(update.Index) + 1;
                if (tries >= MaxAttempts)
                {
                    updates.Add(update with { State = ImportRowState.Failed, Detail = "Graph kept answering “busy”; not created. Run this row again later." });
                    continue;
                }
                updates.Add(update);
                queue.Enqueue(rows[update.Index] with { State = ImportRowState.Pending });
            }
            await store.UpdateAsync(op.Id, updates, ct);
            Apply(rows, updates);
            await progress.MaybeUpdateAsync(rows.Values, force: false, ct);
        }

        await FinishAsync(kind, processor, op, [.. rows.Values.OrderBy(r => r.Index)], ct);
    }

    private async Task<(StoredRow[] Chunk, ChunkOutcome Outcome)> SendAsync(PendingOperation op, IImportRowProcessor processor, StoredRow[] chunk, CancellationToken ct)
    {
        // Persisted before the request leaves: after a crash these rows are checked in the tenant before being sent again.
        var sending = chunk.Where(r => r.State == ImportRowState.Pending).Select(r => new RowUpdate(r.Index, ImportRowState.InFlight, null, null)).ToList();
        await store.UpdateAsync(op.Id, sending, ct);
        var marked = chunk.Select(r => r.State == ImportRowState.Pending ? r with { State = ImportRowState.InFlight } : r).ToArray();
        ChunkOutcome outcome;
        try
        {
            outcome = await processor.ProcessAsync(op, marked, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The exception text may come from far away: logged by type, never shown or stored.
            log.LogError(e, "Import {OperationId}: a chunk failed unexpectedly", op.Id);
            outcome = new ChunkOutcome([.. marked.Select(r => new RowUpdate(r.Index, ImportRowState.Failed, r.ObjectId, "Unexpected error; see the bot's logs."))], false);
        }
        return (marked, outcome);
    }

    private async Task FinishAsync(IImportKind kind, IImportRowProcessor processor, PendingOperation op, IReadOnlyList<StoredRow> rows, CancellationToken ct)
    {
        var counts = ImportCounts.Of(rows);
        var state = counts.Failed == 0 && counts.PartlySucceeded == 0 && counts.Invalid == 0 ? OperationState.Succeeded
            : counts.Succeeded + counts.PartlySucceeded > 0 ? OperationState.PartlySucceeded
            : OperationState.Failed;
        List<TargetResult> summary =
        [
            new("succeeded", "Succeeded", true, $"{counts.Succeeded:N0} row(s)"),
            new("partly", "Succeeded, some steps failed", counts.PartlySucceeded == 0, $"{counts.PartlySucceeded:N0} row(s)"),
            new("failed", "Failed", counts.Failed == 0, $"{counts.Failed:N0} row(s)"),
            new("skipped", "Skipped (errors at preview)", counts.Invalid == 0, $"{counts.Invalid:N0} row(s)"),
        ];
        // The tech gets the results before the state changes: a process that dies in between delivers them again when the
        // job resumes, instead of never (a finished operation is not run again).
        var finished = op with { State = state, Results = summary };
        var (fileName, header) = processor.ResultsFile(finished);
        var csv = CsvFile.ToBytes(header, rows.Select(processor.ResultsLine));
        var delivery = await DeliverAsync(kind, finished, fileName, csv, ct);
        await PostAsync(finished, ImportCards.Results(kind, finished, rows, delivery), ct);

        var done = await operations.TryTransitionAsync(op.Id, OperationState.Running, op.Version, o => o with { State = state, Results = summary }, ct);
        if (done is null)
            return;
        passwords.Forget(op.Id);
        log.LogInformation("Import {OperationId} finished as {State}: {Succeeded} succeeded, {Failed} failed", op.Id, state, counts.Succeeded + counts.PartlySucceeded, counts.Failed);
        await audit.DecisionAsync(done, done.DecidedByAadObjectId ?? done.RequesterAadObjectId, done.DecidedByName ?? done.RequesterName, state.ToString(),
            $"{counts.Succeeded} succeeded, {counts.PartlySucceeded} partly, {counts.Failed} failed, {counts.Invalid} skipped", ct);
    }

    /// The results CSV goes only to the requester's 1:1 chat (it may hold passwords), from memory (never written to disk).
    private async Task<string> DeliverAsync(IImportKind kind, PendingOperation op, string fileName, byte[] csv, CancellationToken ct)
    {
        if (op.RequestConversation is not { } from)
            return "The results file could not be delivered (no conversation).";
        try
        {
            var offer = await files.OfferAsync(from, new Caller(op.RequesterAadObjectId, op.RequesterName, op.RequesterAadObjectId), fileName,
                $"Results of {ImportCards.Title(kind)} in {op.TenantName}: one line per input row, {What(kind)}.", FileContent.FromBytes(csv), ct);
            return $"{offer.FileName} (one line per row, {What(kind)}) was sent to you in a private chat.";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError("Could not deliver the results of import {OperationId}: {ErrorType}", op.Id, e.GetType().Name);
            return "The results file could not be delivered to your private chat.";
        }
    }

    private static string What(IImportKind kind) => kind.Noun == "guests" ? "with object ids and redeem URLs" : "with any generated passwords";

    private async Task PostAsync(PendingOperation op, AdaptiveCard card, CancellationToken ct)
    {
        if (op.RequestConversation is not { } conversation)
            return;
        try
        {
            if (op.RequestCardActivityId is { } activity)
                await messenger.UpdateCardAsync(conversation, activity, card, ct);
            else
                await messenger.SendCardAsync(conversation, card, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Could not post a card of import {OperationId}: {ErrorType}", op.Id, e.GetType().Name);
        }
    }

    private static void Apply(Dictionary<int, StoredRow> rows, IEnumerable<RowUpdate> updates)
    {
        foreach (var u in updates)
            rows[u.Index] = rows[u.Index] with { State = u.State, ObjectId = u.ObjectId, Detail = u.Detail };
    }

    /// Edits the progress card at most once a second (Teams allows about one update per second per message).
    private sealed class ProgressCard(ImportJobRunner runner, TimeProvider time, IImportKind kind, PendingOperation op)
    {
        private long last = time.GetTimestamp();

        public async Task MaybeUpdateAsync(IEnumerable<StoredRow> rows, bool force, CancellationToken ct)
        {
            // Only edited in place: without the card's message id there is nothing to edit (no new message per second).
            if (op.RequestCardActivityId is null || (!force && time.GetElapsedTime(last) < TimeSpan.FromSeconds(1)))
                return;
            last = time.GetTimestamp();
            await runner.PostAsync(op, ImportCards.Progress(kind, op, ImportCounts.Of([.. rows])), ct);
        }
    }
}
