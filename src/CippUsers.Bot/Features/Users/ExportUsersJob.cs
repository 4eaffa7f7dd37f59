using CippUsers.Bot.Conversations;
using CippUsers.Bot.Files;
using CippUsers.Graph;
using Hangfire;

namespace CippUsers.Bot.Features.Users;

/// <summary>
/// Reads the tenant's users page by page (<see cref="UserExport"/>) and appends each page to a temporary CSV file as it
/// arrives, so memory holds one page at most; then offers the file in the tech's 1:1 chat (<see cref="FileDelivery"/>)
/// and finishes the progress card. A rerun after a crash simply exports again (it is a read).
/// </summary>
public sealed class ExportUsersJob
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(2);

    private readonly UserExport _export;
    private readonly CustomerTenants _tenants;
    private readonly FileDelivery _files;
    private readonly ProactiveMessenger _messenger;
    private readonly TimeProvider _time;
    private readonly ILogger<ExportUsersJob> _log;

    public ExportUsersJob(UserExport export, CustomerTenants tenants, FileDelivery files, ProactiveMessenger messenger, TimeProvider time, ILogger<ExportUsersJob> log)
    {
        _export = export;
        _tenants = tenants;
        _files = files;
        _messenger = messenger;
        _time = time;
        _log = log;
    }

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(ExportRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tenant = _tenants.Find(request.TenantId);
        if (tenant is null)
        {
            await UpdateAsync(request, ExportCards.Failed(request.TenantId, "This tenant is no longer configured."), ct);
            return;
        }

        var path = FileContent.NewTempFilePath("csv");
        var offered = false;
        try
        {
            long rows = 0;
            var lastProgress = _time.GetTimestamp();
            GraphResult<UserExportSummary> result;
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            CsvFile? csv = null;
            try
            {
                result = await _export.ExportAsync(tenant.TenantId, includeSignInActivity: true, async (page, token) =>
                {
                    csv ??= CsvFile.Create(stream, ExportCsv.Header(page.Columns));
                    rows += ExportCsv.WritePage(csv, page);
                    await csv.FlushAsync(token);
                    if (_time.GetElapsedTime(lastProgress) >= ProgressEvery)
                    {
                        lastProgress = _time.GetTimestamp();
                        await UpdateAsync(request, ExportCards.Working(tenant.DisplayName, rows), token);
                    }
                }, ct);
            }
            finally
            {
                if (csv is not null)
                {
                    await csv.DisposeAsync();
                }

                await stream.DisposeAsync();
            }

            if (!result.Succeeded)
            {
                await UpdateAsync(request, ExportCards.Failed(tenant.DisplayName, result.Failure.Message), ct);
                return;
            }

            var summary = result.Value!;
            var fileName = ExportCsv.FileName(tenant, _time.GetUtcNow());
            offered = true;
            await _files.OfferAsync(request.Conversation, request.Tech, fileName,
                $"All {summary.Users:N0} users of {tenant.DisplayName} with every Microsoft Graph user property.", FileContent.FromTempFile(path), ct);
            await UpdateAsync(request, ExportCards.Done(tenant.DisplayName, summary.Users, fileName, summary.IncludesSignInActivity), ct);
            _log.LogInformation("Exported {Users} users of {TenantId} in {Pages} pages (largest {LargestPage})", summary.Users, tenant.TenantId, summary.Pages, summary.LargestPage);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _log.LogError(e, "Export of the users of {TenantId} failed", tenant.TenantId);
            await UpdateAsync(request, ExportCards.Failed(tenant.DisplayName, "Something went wrong while writing or sending the file."), CancellationToken.None);
        }
        finally
        {
            if (!offered)
            {
                File.Delete(path);
            }
        }
    }

    private async Task UpdateAsync(ExportRequest request, Cards.AdaptiveCard card, CancellationToken ct)
    {
        try
        {
            await _messenger.UpdateCardAsync(request.Conversation, request.CardActivityId, card, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogWarning("Could not update the export card: {ErrorType}", e.GetType().Name);
        }
    }
}
