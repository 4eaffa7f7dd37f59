using System.Globalization;
using System.Text.Json;
using CippUsers.Bot.Files;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// <summary>Graph user JSON as CSV cells: text as is, numbers and booleans as written by Graph, arrays and objects as
/// compact JSON, plus a "licenses" column with the SKU part numbers of assignedLicenses.</summary>
internal static class ExportCsv
{
    public const string LicensesColumn = "licenses";

    // A CSV is not HTML: keep '+', '<', '&' and non-ASCII letters readable instead of \u escapes.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string[] Header(IReadOnlyList<string> columns) => [.. columns, LicensesColumn];

    /// <summary>Writes one Graph page to the CSV; returns the rows written.</summary>
    public static int WritePage(CsvFile csv, UserExportPage page)
    {
        if (page.Users.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        var cells = new string?[page.Columns.Count + 1];
        var written = 0;
        foreach (var user in page.Users.EnumerateArray())
        {
            for (var i = 0; i < page.Columns.Count; i++)
            {
                cells[i] = user.TryGetProperty(page.Columns[i], out var value) ? Cell(value) : null;
            }

            cells[^1] = Licenses(user, page.SkuPartNumbers);
            csv.WriteRow(cells);
            written++;
        }

        return written;
    }

    internal static string? Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Array when value.GetArrayLength() == 0 => null,
        _ => JsonSerializer.Serialize(value, Compact),
    };

    private static string? Licenses(JsonElement user, IReadOnlyDictionary<Guid, string> skus)
    {
        if (!user.TryGetProperty("assignedLicenses", out var licenses) || licenses.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var names = new List<string>();
        foreach (var license in licenses.EnumerateArray())
        {
            if (license.ValueKind == JsonValueKind.Object && license.TryGetProperty("skuId", out var id) && id.TryGetGuid(out var skuId))
            {
                names.Add(skus.TryGetValue(skuId, out var name) && name.Length > 0 ? name : skuId.ToString());
            }
        }

        return names.Count == 0 ? null : string.Join("; ", names.Order(StringComparer.OrdinalIgnoreCase));
    }

    public static string FileName(CustomerTenant tenant, DateTimeOffset now)
        => string.Create(CultureInfo.InvariantCulture, $"{tenant.DefaultDomain}-users-{now:yyyyMMdd-HHmm}.csv");
}
