using System.Globalization;
using System.Text;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Features.Audit;

/// Audit entries as RFC 4180 CSV. The bot has no file upload (Teams files need the FileConsent flow), so the CSV goes to
/// the 1:1 chat as a message in a code block, ready to copy.
internal static class AuditCsv
{
    private static readonly string[] Header = ["time", "actor", "actorId", "tenant", "action", "targetId", "target", "outcome", "detail", "parameters", "correlationId", "operationId"];

    public static string Write(IEnumerable<AuditEntry> entries)
    {
        var csv = new StringBuilder();
        Line(csv, Header);
        foreach (var e in entries)
        {
            Line(csv,
            [
                e.At.ToString("O", CultureInfo.InvariantCulture), e.ActorName, e.ActorAadObjectId, e.TenantId, e.Action, e.TargetId, e.TargetName,
                e.Outcome, e.Detail, e.Parameters?.ToJsonString(), e.CorrelationId, e.OperationId?.ToString(),
            ]);
        }

        return csv.ToString();
    }

    public static string AsMessage(IReadOnlyList<AuditEntry> entries) => $"audit.csv ({entries.Count} entries)\n```\n{Write(entries)}```";

    private static void Line(StringBuilder csv, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            var field = fields[i] ?? "";
            // A leading =, +, - or @ would run as a formula when the file is opened in a spreadsheet.
            if (field.Length > 0 && "=+-@".Contains(field[0]))
            {
                field = "'" + field;
            }

            csv.Append(field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{field.Replace("\"", "\"\"")}\"" : field);
        }

        csv.Append("\r\n");
    }
}
