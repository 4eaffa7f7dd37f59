namespace CippUsers.E2E.Infrastructure;

/// <summary>Tests in this collection share one bot, one Playground and one browser, and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PlaygroundCollection : ICollectionFixture<PlaygroundSession>
{
    public const string Name = "Playground";
}
