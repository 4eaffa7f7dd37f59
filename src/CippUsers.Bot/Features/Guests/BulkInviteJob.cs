using System.Collections.Concurrent;
using System.Globalization;
using CippUsers.Bot.Features.BulkAdd;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Storage;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Guests;

/// Sends the invitations of a confirmed bulk invite (or Invite Guest). The Graph library holds each tenant to 150
/// invitations per 5 s; a row left in flight by a restart is simply invited again (Graph answers a second invitation
/// of the same address with the same guest, so no duplicate is created).
internal sealed class BulkInviteJob(ImportJobRunner runner, GuestImportKind kind, InvitationOperations invitations) : IOperationJob, IImportRowProcessor
{
    private readonly ConcurrentDictionary<int, string?> redeemUrls = new();

    public int ChunkSize => 10;

    public Task ExecuteAsync(Guid operationId, CancellationToken ct) => runner.RunAsync(kind, this, operationId, ct);

    public Task<IReadOnlyList<RowUpdate>> RecoverAsync(PendingOperation op, IReadOnlyList<StoredRow> inFlight, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<RowUpdate>>([.. inFlight.Select(r => new RowUpdate(r.Index, ImportRowState.Pending, null, null))]);

    public async Task<ChunkOutcome> ProcessAsync(PendingOperation op, IReadOnlyList<StoredRow> chunk, CancellationToken ct)
    {
        var throttled = false;
        var updates = await Task.WhenAll(chunk.Select(async row =>
        {
            var sent = await invitations.InviteAsync(op.TenantId, GuestImportKind.ToInvitation(row.Values, op.Parameters), ct);
            if (sent.Succeeded)
            {
                redeemUrls[row.Index] = sent.Value!.RedeemUrl;
                return new RowUpdate(row.Index, ImportRowState.Succeeded, sent.Value.UserId,
                    $"Invited; guest id {sent.Value.UserId}; redeem URL {sent.Value.RedeemUrl}");
            }
            if (sent.Failure.Kind is GraphFailureKind.Throttled or GraphFailureKind.Unavailable)
            {
                throttled = true;
                return new RowUpdate(row.Index, ImportRowState.Pending, null, null);
            }
            return new RowUpdate(row.Index, ImportRowState.Failed, null, "Not invited: " + sent.Failure.Message);
        }));
        return new ChunkOutcome(updates, throttled);
    }

    public (string FileName, IReadOnlyList<string> Header) ResultsFile(PendingOperation op) =>
        ($"bulk-invite-{op.TenantName.Replace(' ', '-')}-{op.CreatedAt.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.csv",
            ["line", "outcome", "reason", "mail", "displayName", "objectId", "redeemUrl"]);

    public IReadOnlyList<string?> ResultsLine(StoredRow row) =>
    [
        row.Line > 0 ? row.Line.ToString(CultureInfo.InvariantCulture) : ImportCards.LineText(row.Line), BulkAddJob.Outcome(row.State), row.Detail,
        row[ImportColumns.Mail], row[ImportColumns.DisplayName], row.ObjectId, redeemUrls.GetValueOrDefault(row.Index),
    ];
}
