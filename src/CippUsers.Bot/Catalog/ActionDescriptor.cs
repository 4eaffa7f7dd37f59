namespace CippUsers.Bot.Catalog;

/// One user action of the CIPP Users page (DESIGN decision 10). Menus, help, confirmation and approval cards and audit
/// entries are generated from these; the work itself is done by the IActionRunner registered for the same Id.
internal sealed record ActionDescriptor(
    string Id,
    string Title,
    string Category,
    string Description,
    bool AllowsBulk,
    PolicyClass Policy,
    IReadOnlyList<string> Implications,
    IReadOnlyList<ActionInput> Inputs,
    IReadOnlyList<ActionCommand> Commands)
{
    /// The implications line the confirmation card shows.
    public string ImplicationsLine => Implications.Count == 0 ? Description : string.Join(" · ", Implications);

    public ActionInput? FindInput(string id) => Inputs.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase));
}
