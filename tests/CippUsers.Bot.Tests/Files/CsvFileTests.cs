using System.Text;
using CippUsers.Bot.Files;

namespace CippUsers.Bot.Tests.Files;

public sealed class CsvFileTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+1", "'+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "'\rcmd")]
    [InlineData("Head of =Sales", "Head of =Sales")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Guard_PrefixesFormulaStartsWithAnApostrophe(string? value, string expected)
        => Assert.Equal(expected, CsvCells.Guard(value));

    [Fact]
    public void ToBytes_WritesUtf8WithBomCrlfQuotingAndGuardedCells()
    {
        var bytes = CsvFile.ToBytes(["name", "title", "note"], [["Doe, \"Jane\"", "=cmd|' /C calc'!A0", "Zoë\nline 2"], ["Bob", null]]);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.Equal("name,title,note\r\n\"Doe, \"\"Jane\"\"\",'=cmd|' /C calc'!A0,\"Zoë\nline 2\"\r\nBob,,\r\n", text);
    }

    [Fact]
    public async Task Create_StreamsRowsAndCountsThem()
    {
        using var stream = new MemoryStream();
        await using (var csv = CsvFile.Create(stream, ["id"], leaveOpen: true))
        {
            for (var i = 0; i < 1000; i++)
            {
                csv.WriteRow([i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            Assert.Equal(1000, csv.Rows);
        }

        var lines = Encoding.UTF8.GetString(stream.ToArray()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1001, lines.Length);
        Assert.Equal("999", lines[^1]);
    }

    [Fact]
    public void WriteRow_WithMoreCellsThanTheHeader_Throws()
    {
        using var csv = CsvFile.Create(new MemoryStream(), ["a"]);

        Assert.Throws<ArgumentException>(() => csv.WriteRow(["1", "2"]));
    }
}
