using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Jobs;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Imports;

/// Errors by row index (rows without errors are absent), and the rows as they will be stored when the kind fills in
/// defaults (e.g. the domain), so the job runs exactly what the preview showed.
internal sealed record ImportCheck(IReadOnlyDictionary<int, IReadOnlyList<string>> Errors, string? Failure = null, IReadOnlyList<ImportRow>? Normalized = null)
{
    public static ImportCheck Fail(string failure) => new(new Dictionary<int, IReadOnlyList<string>>(), failure);
}

/// What differs between bulk add (users) and bulk invite (guests); the wizard, preview, job loop, progress and results are
/// shared (<see cref="ImportFeature"/>, <see cref="ImportJobRunner"/>).
internal interface IImportKind
{
    /// The pending operation's action id ("bulk-add", "bulk-invite").
    string ActionId { get; }

    /// How the access policy sees the action (PolicyClass, bulk allowed); approval follows Approvals:BulkThreshold.
    ActionDescriptor Action { get; }

    /// "users" / "guests".
    string Noun { get; }

    /// The chat command ("bulk add").
    string Command { get; }

    string CommandDescription { get; }

    /// Header → field map of the accepted templates.
    IReadOnlyDictionary<string, string> Columns { get; }

    /// A CSV needs at least one of these fields.
    IReadOnlyCollection<string> RequiredAnyOf { get; }

    /// The example CSV offered to the tech.
    string ExampleCsv { get; }

    string ExampleFileName { get; }

    /// The value that names a row on cards and in the results (UPN or e-mail address).
    string Label(IReadOnlyDictionary<string, string> values, JsonObject options);

    /// Step 1: the options asked before the rows (usage location and licenses; send e-mail and message).
    Task<IReadOnlyList<CardElement>> OptionInputsAsync(string tenantId, JsonObject options, CancellationToken ct);

    /// Reads step 1's submit into stored options; an error message when a value is not acceptable.
    (JsonObject Options, string? Error) ReadOptions(JsonElement data);

    /// The inputs of "Add … manually" (ids are field names).
    IReadOnlyList<CardInput> ManualInputs(string tenantDefaultDomain);

    /// Checks every row before anything is created (one Graph lookup per batch of rows, never per row).
    Task<ImportCheck> ValidateAsync(CustomerTenant tenant, JsonObject options, IReadOnlyList<ImportRow> rows, CancellationToken ct);

    /// Starts the durable job for a confirmed operation.
    void Enqueue(JobScheduler jobs, Guid operationId);
}
