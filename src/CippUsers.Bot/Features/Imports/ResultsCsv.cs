using CsvHelper;

namespace CippUsers.Bot.Features.Imports;

/// The results file: one line per input row. Cells are guarded against formula injection (a value starting with
/// = + - @ tab or carriage return is escaped with a leading apostrophe), since techs open it in a spreadsheet. Built in
/// memory only: it may hold generated passwords and is never written to disk or the database.
internal static class ResultsCsv
{
    public static byte[] Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> lines)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            foreach (var name in header)
                csv.WriteField(name);
            csv.EndRecord();
            foreach (var line in lines)
            {
                foreach (var cell in line)
                    csv.WriteField(cell ?? "");
                csv.EndRecord();
            }
        }
        return buffer.ToArray();
    }
}
