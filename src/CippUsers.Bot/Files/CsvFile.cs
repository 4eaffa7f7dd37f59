using CsvHelper;

namespace CippUsers.Bot.Files;

/// <summary>
/// Writes RFC 4180 CSV (CsvHelper) for spreadsheets: UTF-8 with a byte-order mark so Excel reads it as UTF-8, CRLF line
/// ends, and every cell guarded against formula injection (<see cref="CsvCells.Guard"/>). Row by row, so a big export
/// streams to its stream and never sits in memory.
/// <code>
/// await using var csv = CsvFile.Create(stream, ["id", "userPrincipalName"]);
/// csv.WriteRow([user.Id, user.UserPrincipalName]);
/// </code>
/// </summary>
public sealed class CsvFile : IAsyncDisposable, IDisposable
{
    private readonly CsvWriter _writer;
    private readonly int _columns;

    private CsvFile(Stream stream, IReadOnlyList<string> header, bool leaveOpen)
    {
        var options = new CsvWriterOptions
        {
            WriteByteOrderMark = true,
            // Cells are guarded by CsvCells.Guard (every cell here is text), so the rule is one tested function.
            Injection = CsvInjection.None,
        };
        _writer = CsvWriter.Create(stream, options, leaveOpen);
        _columns = header.Count;
        WriteRow(header);
        Rows = 0;
    }

    /// <summary>Data rows written so far (the header not counted).</summary>
    public int Rows { get; private set; }

    /// <summary>Starts a CSV on <paramref name="stream"/> with the byte-order mark and <paramref name="header"/>.</summary>
    public static CsvFile Create(Stream stream, IReadOnlyList<string> header, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(header);
        return new CsvFile(stream, header, leaveOpen);
    }

    /// <summary>A whole small CSV in memory (e.g. results with passwords: pass it to <see cref="FileContent.FromBytes"/>).</summary>
    public static byte[] ToBytes(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        using var buffer = new MemoryStream();
        using (var csv = Create(buffer, header, leaveOpen: true))
        {
            foreach (var row in rows)
            {
                csv.WriteRow(row);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Writes one row; cells beyond the header are an error, missing cells are written empty.</summary>
    public void WriteRow(IReadOnlyList<string?> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (_columns > 0 && cells.Count > _columns)
        {
            throw new ArgumentException($"The row has {cells.Count} cells; the header has {_columns}.", nameof(cells));
        }

        for (var i = 0; i < Math.Max(cells.Count, _columns); i++)
        {
            _writer.WriteField(CsvCells.Guard(i < cells.Count ? cells[i] : null));
        }

        _writer.EndRecord();
        Rows++;
    }

    public Task FlushAsync(CancellationToken ct = default) => _writer.FlushAsync(ct).AsTask();

    public void Dispose() => _writer.Dispose();

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}

/// <summary>Cell values for CSV files that a spreadsheet will open.</summary>
public static class CsvCells
{
    /// <summary>OWASP CSV injection defence: a value starting with = + - @ tab or carriage return gets a leading
    /// apostrophe, so a spreadsheet shows it as text instead of running it as a formula. Null becomes empty.</summary>
    public static string Guard(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        return value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }
}
