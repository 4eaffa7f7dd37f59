using System.Text;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Files;
using CippUsers.Bot.Teams;

namespace CippUsers.Bot.Tests.Files;

/// <summary>A test feature that takes .csv files: downloads them and answers with what it read (or the refusal).</summary>
public sealed class CsvEchoFeature(InboundFiles inbound) : IFeature
{
    public void Map(BotRoutes routes) => routes.File("csv", OnCsvAsync);

    private async Task OnCsvAsync(BotTurn turn, InboundFile file, string text, CancellationToken ct)
    {
        using var download = await inbound.OpenAsync(file, ct);
        if (!download.Succeeded)
        {
            await turn.SendTextAsync($"refused: {download.Problem}", ct);
            return;
        }

        using var reader = new StreamReader(download.Content!, Encoding.UTF8);
        var lines = (await reader.ReadToEndAsync(ct)).Split("\n", StringSplitOptions.RemoveEmptyEntries);
        await turn.SendTextAsync($"read {file.Name} ({file.FileType}, {download.Length} bytes, {lines.Length} lines) with text '{text}': {lines[0].Trim()}", ct);
    }
}
