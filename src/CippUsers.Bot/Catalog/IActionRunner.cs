namespace CippUsers.Bot.Catalog;

/// Runs one catalog action against one target. One implementation per action; the catalog marks actions without a
/// runner as "not available yet" and refuses them.
internal interface IActionRunner
{
    string ActionId { get; }

    Task<TargetOutcome> RunAsync(ActionRun run, ActionTarget target, CancellationToken ct);
}
