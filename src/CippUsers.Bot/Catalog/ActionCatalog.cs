namespace CippUsers.Bot.Catalog;

/// The catalog: descriptors joined with the runners registered in DI. An action without a runner is listed (menus and
/// help stay complete) but is not available and is refused before any operation is created.
internal sealed class ActionCatalog
{
    private readonly Dictionary<string, ActionDescriptor> byId;
    private readonly Dictionary<string, IActionRunner> runners;

    public ActionCatalog(IEnumerable<IActionRunner> runners)
        : this(UserActions.All, runners)
    {
    }

    // Internal so DI (public constructors only) never resolves an empty descriptor list.
    internal ActionCatalog(IEnumerable<ActionDescriptor> descriptors, IEnumerable<IActionRunner> runners)
    {
        All = [.. descriptors];
        byId = All.ToDictionary(d => d.Id, StringComparer.OrdinalIgnoreCase);
        this.runners = new Dictionary<string, IActionRunner>(StringComparer.OrdinalIgnoreCase);
        foreach (var runner in runners)
        {
            if (!byId.ContainsKey(runner.ActionId))
            {
                throw new InvalidOperationException($"Runner {runner.GetType().Name} is for unknown action '{runner.ActionId}'.");
            }

            if (!this.runners.TryAdd(runner.ActionId, runner))
            {
                throw new InvalidOperationException($"Action '{runner.ActionId}' has two runners.");
            }
        }
    }

    public IReadOnlyList<ActionDescriptor> All { get; }

    public IEnumerable<IGrouping<string, ActionDescriptor>> ByCategory => All.GroupBy(d => d.Category);

    public ActionDescriptor? Find(string actionId) => byId.GetValueOrDefault(actionId);

    public bool IsAvailable(string actionId) => runners.ContainsKey(actionId);

    public IActionRunner? RunnerFor(string actionId) => runners.GetValueOrDefault(actionId);
}
