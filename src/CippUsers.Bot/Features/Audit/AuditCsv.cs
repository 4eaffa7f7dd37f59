using System.Globalization;
using System.Text;
using CippUsers.Bot.Files;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Features.Audit;

/// Audit entries as a CSV file (UTF-8 with BOM, cells guarded against formula injection), sent with FileDelivery.
internal static class AuditCsv
{
    public const string FileName = "audit.csv";

    private static readonly string[] Header = ["time", "actor", "actorId", "tenant", "action", "targetId", "target", "outcome", "detail", "parameters", "correlationId", "operationId"];

    public static byte[] ToBytes(IEnumerable<AuditEntry> entries)
        => CsvFile.ToBytes(Header, entries.Select(e => (IReadOnlyList<string?>)
        [
            e.At.ToString("O", CultureInfo.InvariantCulture), e.ActorName, e.ActorAadObjectId, e.TenantId, e.Action, e.TargetId, e.TargetName,
            e.Outcome, e.Detail, e.Parameters?.ToJsonString(), e.CorrelationId, e.OperationId?.ToString(),
        ]));

    /// <summary>The CSV as text (without the byte-order mark).</summary>
    public static string Write(IEnumerable<AuditEntry> entries) => new UTF8Encoding(false).GetString(ToBytes(entries)).TrimStart('\uFEFF');
}
