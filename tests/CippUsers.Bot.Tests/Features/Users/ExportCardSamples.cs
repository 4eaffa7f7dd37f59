using CippUsers.Bot.Features.Users;
using CippUsers.Bot.Tests.Infrastructure;

namespace CippUsers.Bot.Tests.Features.Users;

/// The export's progress cards, for the schema test.
public sealed class ExportCardSamples : ICardSampleSource
{
    public IEnumerable<CardSample> Samples()
    {
        yield return new("Export/Starting", ExportCards.Working("Contoso \"Dental\"", 0));
        yield return new("Export/Working", ExportCards.Working("Northwind Health", 12_500));
        yield return new("Export/Done", ExportCards.Done("Northwind Health", 20_000, "northwindhealth.org-users-20261127-0900.csv", withSignIns: true));
        yield return new("Export/DoneWithoutSignIns", ExportCards.Done("Contoso Dental", 25, "contosodental.com-users-20261127-0900.csv", withSignIns: false));
        yield return new("Export/Failed", ExportCards.Failed("Contoso Dental", "Microsoft Graph refused: access denied."));
    }
}
