namespace CippUsers.Graph;

public sealed class GraphOptions
{
    public const string Section = "Graph";
}
