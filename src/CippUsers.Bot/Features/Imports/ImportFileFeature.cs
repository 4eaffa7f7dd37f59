using CippUsers.Bot.Teams;

namespace CippUsers.Bot.Features.Imports;

/// Takes .csv files sent in the 1:1 chat for the bulk add / bulk invite wizard waiting for its rows. Its own feature so
/// the file route can be left out where another handler owns .csv (one handler per file type).
internal sealed class ImportFileFeature(ImportFeature imports) : IFeature
{
    public void Map(BotRoutes routes) => routes.File("csv", imports.FileAsync);
}
