using System.Globalization;
using System.Text;
using CsvHelper;

namespace CippUsers.Bot.Features.Imports;

/// One data row of an import: its line in the file (1-based, counting the header and any version row) and its values by
/// field name. A password column is kept apart so it never lands in stored rows.
internal sealed record ImportRow(int Line, IReadOnlyDictionary<string, string> Values, string? Password = null)
{
    public string? this[string field] => Values.TryGetValue(field, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
}

/// What reading a CSV gave: rows, the columns that were ignored, or why nothing could be read.
internal sealed record ImportParseResult(IReadOnlyList<ImportRow> Rows, IReadOnlyList<string> IgnoredColumns, string? Error, string Encoding, char Delimiter)
{
    public bool Succeeded => Error is null;

    public static ImportParseResult Fail(string error) => new([], [], error, "", ',');
}

/// Reads a bulk-import CSV: UTF-8 with or without BOM, UTF-16 (BOM, or detected from its zero bytes) and Windows-1252;
/// comma, semicolon or tab delimited (sniffed from the header line); quoted fields with newlines; an Entra template's
/// "version:v1.0" first line skipped. Headers map case-insensitively to field names (<see cref="ImportColumns"/>).
internal static class CsvImportReader
{
    static CsvImportReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// Reads at most <paramref name="maxBytes"/> from <paramref name="stream"/>; more is refused with a size message.
    public static async Task<ImportParseResult> ReadAsync(Stream stream, IReadOnlyDictionary<string, string> columns, IReadOnlyCollection<string> requiredAnyOf,
        int maxRows, int maxBytes, CancellationToken ct)
    {
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length, buffer.Length - length), ct)) > 0)
            length += read;
        if (length > maxBytes)
            return ImportParseResult.Fail($"The CSV is larger than {maxBytes / 1024:N0} KB. Split it into smaller files (at most {maxRows:N0} rows each).");
        return Read(buffer.AsSpan(0, length), columns, requiredAnyOf, maxRows);
    }

    public static ImportParseResult Read(string text, IReadOnlyDictionary<string, string> columns, IReadOnlyCollection<string> requiredAnyOf, int maxRows, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) > maxBytes)
            return ImportParseResult.Fail($"The CSV is larger than {maxBytes / 1024:N0} KB. Split it into smaller files (at most {maxRows:N0} rows each).");
        return Parse(text, "UTF-8", columns, requiredAnyOf, maxRows);
    }

    public static ImportParseResult Read(ReadOnlySpan<byte> bytes, IReadOnlyDictionary<string, string> columns, IReadOnlyCollection<string> requiredAnyOf, int maxRows)
    {
        var (text, encoding) = Decode(bytes);
        if (text is null)
            return ImportParseResult.Fail("The file is not text I can read. Save it as CSV (UTF-8) and try again.");
        return Parse(text, encoding, columns, requiredAnyOf, maxRows);
    }

    internal static (string? Text, string Encoding) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            return (Strict(new UTF8Encoding(false, true), bytes[3..]), "UTF-8 (BOM)");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            return (Strict(new UnicodeEncoding(false, false, true), bytes[2..]), "UTF-16 LE");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return (Strict(new UnicodeEncoding(true, false, true), bytes[2..]), "UTF-16 BE");

        // UTF-16 without a BOM: ASCII text has a zero in every other byte.
        var sample = bytes[..Math.Min(bytes.Length, 512)];
        var evenZeros = 0;
        var oddZeros = 0;
        for (var i = 0; i < sample.Length; i++)
        {
            if (sample[i] == 0)
            {
                if (i % 2 == 0) evenZeros++;
                else oddZeros++;
            }
        }
        if (sample.Length >= 4 && oddZeros > sample.Length / 4 && evenZeros == 0)
            return (Strict(new UnicodeEncoding(false, false, true), bytes), "UTF-16 LE");
        if (sample.Length >= 4 && evenZeros > sample.Length / 4 && oddZeros == 0)
            return (Strict(new UnicodeEncoding(true, false, true), bytes), "UTF-16 BE");
        if (evenZeros + oddZeros > 0)
            return (null, "binary");

        // Valid UTF-8 is read as such; anything else is taken as Windows-1252 (what Excel writes for "CSV" on Western Windows).
        var utf8 = Strict(new UTF8Encoding(false, true), bytes);
        return utf8 is not null ? (utf8, "UTF-8") : (Encoding.GetEncoding(1252).GetString(bytes), "Windows-1252");
    }

    private static string? Strict(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static ImportParseResult Parse(string text, string encoding, IReadOnlyDictionary<string, string> columns, IReadOnlyCollection<string> requiredAnyOf, int maxRows)
    {
        text = text.TrimStart('\uFEFF');
        var lineOffset = 0;
        // The Entra templates start with a "version:v1.0" row before the headers.
        if (text.StartsWith("version:", StringComparison.OrdinalIgnoreCase))
        {
            var end = text.IndexOf('\n', StringComparison.Ordinal);
            text = end < 0 ? "" : text[(end + 1)..];
            lineOffset = 1;
        }
        if (string.IsNullOrWhiteSpace(text))
            return ImportParseResult.Fail("The CSV is empty: it needs a header line and at least one row.");

        var delimiter = SniffDelimiter(text);
        var options = new CsvReaderOptions
        {
            Separator = delimiter,
            HasHeader = true,
            SkipEmptyLines = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = true,
            // Cell values may be personal data: keep them out of exception messages (and so out of logs).
            IncludeValuesInExceptions = false,
            MaxRecordSize = 1024 * 1024,
        };

        var rows = new List<ImportRow>();
        var ignored = new List<string>();
        try
        {
            using var csv = CsvReader.Create(new StringReader(text), options, leaveOpen: false);
            csv.ReadHeader();
            var headers = csv.Headers.ToList();
            if (headers.Count == 0)
                return ImportParseResult.Fail("The CSV is empty: it needs a header line and at least one row.");
            var fields = new string?[headers.Count];
            for (var i = 0; i < headers.Count; i++)
            {
                fields[i] = columns.GetValueOrDefault(ImportColumns.Normalize(headers[i]));
                if (fields[i] is null && !string.IsNullOrWhiteSpace(headers[i]))
                    ignored.Add(headers[i].Trim());
            }
            if (!requiredAnyOf.Any(r => fields.Contains(r)))
            {
                return ImportParseResult.Fail($"The CSV has no column I recognise as {string.Join(" or ", requiredAnyOf)}. " +
                    "Use one of the templates (the wizard offers an example CSV); the first line must hold the column names.");
            }

            while (csv.Read())
            {
                var line = (int)csv.LineNumber + lineOffset;
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                string? password = null;
                for (var i = 0; i < fields.Length && i < csv.FieldCount; i++)
                {
                    if (fields[i] is not { } field)
                        continue;
                    var value = csv.GetString(i);
                    if (string.IsNullOrWhiteSpace(value))
                        continue;
                    if (field == ImportColumns.Password)
                        password = value;
                    else
                        values[field] = value.Trim();
                }
                if (values.Count == 0 && password is null)
                    continue;
                if (rows.Count >= maxRows)
                {
                    return ImportParseResult.Fail($"The CSV has more than {maxRows:N0} rows. Split it into files of at most {maxRows:N0} rows and import them one after the other.");
                }
                rows.Add(new ImportRow(line, values, password));
            }
        }
        catch (CsvFormatException)
        {
            return ImportParseResult.Fail("The CSV could not be read (a quote may be left open). Check the file and try again.");
        }

        if (rows.Count == 0)
            return ImportParseResult.Fail("The CSV has a header line but no rows.");
        return new ImportParseResult(rows, ignored, null, encoding, delimiter);
    }

    /// The delimiter that occurs most often outside quotes on the header line: comma, semicolon or tab.
    internal static char SniffDelimiter(string text)
    {
        int commas = 0, semicolons = 0, tabs = 0;
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
                quoted = !quoted;
            else if (!quoted && c is '\n' or '\r')
                break;
            else if (!quoted && c == ',')
                commas++;
            else if (!quoted && c == ';')
                semicolons++;
            else if (!quoted && c == '\t')
                tabs++;
        }
        return tabs > commas && tabs >= semicolons ? '\t' : semicolons > commas ? ';' : ',';
    }
}
