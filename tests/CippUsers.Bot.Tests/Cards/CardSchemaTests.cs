using System.Reflection;
using System.Text.Json;
using CippUsers.Bot.Tests.Infrastructure;
using Json.Schema;

namespace CippUsers.Bot.Tests.Cards;

/// <summary>Every card sample (every <see cref="ICardSampleSource"/> in this assembly) is valid Adaptive Card 1.5.</summary>
public sealed class CardSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(SharedFolder.Schema("adaptive-card-1.5.schema.json"))));

    public static TheoryData<string> SampleNames() => [.. AllSamples().Keys];

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Sample_IsValidAgainstAdaptiveCard15Schema(string name)
    {
        var card = AllSamples()[name].Card.ToJson();

        using var document = JsonDocument.Parse(card.ToJsonString());
        var result = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, $"{name} is not a valid Adaptive Card 1.5:\n{Describe(result)}\n{card}");
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
    }

    [Fact]
    public void Schema_RejectsAnInvalidCard()
    {
        using var document = JsonDocument.Parse("""{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","size":"huge","text":"x"}]}""");

        Assert.False(Schema.Value.Evaluate(document.RootElement).IsValid);
    }

    [Fact]
    public void Samples_AreDiscoveredFromEverySource()
    {
        Assert.Contains("Help/Help", AllSamples().Keys);
        Assert.Contains("Builder/EveryElement", AllSamples().Keys);
    }

    private static Dictionary<string, CardSample> AllSamples()
        => typeof(CardSchemaTests).Assembly.GetTypes()
            .Where(t => typeof(ICardSampleSource).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .SelectMany(t => ((ICardSampleSource)Activator.CreateInstance(t)!).Samples())
            .ToDictionary(s => s.Name);

    private static string Describe(EvaluationResults result)
        => string.Join('\n', (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")));
}
