namespace CippUsers.Bot.Catalog;

/// What a runner knows about the operation it runs: tenant, parameters (never secrets) and who asked.
internal sealed record ActionRun(
    string OperationId,
    string TenantId,
    string ActionId,
    IReadOnlyDictionary<string, string> Parameters,
    string RequesterAadObjectId,
    string RequesterName)
{
    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    public bool Flag(string name) => bool.TryParse(Parameter(name), out var value) && value;
}
