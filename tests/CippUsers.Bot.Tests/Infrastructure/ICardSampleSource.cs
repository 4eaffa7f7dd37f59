using CippUsers.Bot.Cards;

namespace CippUsers.Bot.Tests.Infrastructure;

/// <summary>
/// Implement this anywhere in the test project (one class per feature, e.g. Features/Users/UsersCardSamples.cs) to have
/// every card your factories produce validated against the Adaptive Card 1.5 schema by <c>CardSchemaTests</c>.
/// Classes are found by reflection; they need a public parameterless constructor.
/// </summary>
public interface ICardSampleSource
{
    IEnumerable<CardSample> Samples();
}

/// <summary>A named sample: the name shows in the test explorer ("Help/DidYouMean").</summary>
public sealed record CardSample(string Name, AdaptiveCard Card)
{
    public override string ToString() => Name;
}
