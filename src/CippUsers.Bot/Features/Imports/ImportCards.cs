using System.Globalization;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Storage;

namespace CippUsers.Bot.Features.Imports;

/// Counts of an import's rows, for the preview, progress and results cards.
internal sealed record ImportCounts(int Total, int Invalid, int Done, int Succeeded, int PartlySucceeded, int Failed)
{
    public int ToRun => Total - Invalid;

    public static ImportCounts Of(IReadOnlyCollection<StoredRow> rows) => new(
        rows.Count,
        rows.Count(r => r.State == ImportRowState.Invalid),
        rows.Count(r => r.IsDone && r.State != ImportRowState.Invalid),
        rows.Count(r => r.State == ImportRowState.Succeeded),
        rows.Count(r => r.State == ImportRowState.PartlySucceeded),
        rows.Count(r => r.State == ImportRowState.Failed));
}

/// The cards of the bulk add / bulk invite wizard. Every button carries only the operation id.
internal static class ImportCards
{
    public const string OptionsVerb = "import.options";
    public const string PreviewVerb = "import.preview";
    public const string ManualVerb = "import.manual";
    public const string BackVerb = "import.back";
    public const string ConfirmVerb = "import.confirm";
    public const string CancelVerb = "import.cancel";
    public const string ApproveVerb = "import.approve";
    public const string RejectVerb = "import.reject";
    public const string ExampleVerb = "import.example";
    public const string OperationKey = "operationId";
    public const string CsvInput = "csv";

    /// Errors listed on the preview card; the rest are counted (the card must stay under Teams' ~28 KB).
    public const int MaxErrorsShown = 100;

    /// Rows shown on the preview card.
    public const int PreviewRows = 10;

    /// Step 1: the options.
    public static AdaptiveCard Options(IImportKind kind, PendingOperation op, IReadOnlyList<CardElement> inputs, string? error)
    {
        var card = Titled($"{Title(kind)} in {op.TenantName}", "Step 1 of 3: options for every row");
        if (error is not null)
            card.Add(new TextBlock(error) { Color = TextColor.Attention });
        card.Add(inputs);
        card.AddAction(Button("Next", OptionsVerb, op));
        card.AddAction(new ExecuteAction("Cancel", CancelVerb, Data(op)) { SendInputs = false });
        return card;
    }

    /// Step 2: paste a CSV (or send the file in this chat), and/or add rows one by one.
    public static AdaptiveCard Rows(IImportKind kind, PendingOperation op, int manualRows, IReadOnlyList<CardInput> manualInputs, string? error)
    {
        var card = Titled($"{Title(kind)} in {op.TenantName}", $"Step 2 of 3: the {kind.Noun}");
        if (error is not null)
            card.Add(new TextBlock(error) { Color = TextColor.Attention });
        card.Add(new TextBlock($"Paste the CSV below (header line first), or send the CSV file to me in our 1:1 chat. Comma, semicolon or tab separated; {Templates(kind)}.") { IsSubtle = true });
        card.Add(new TextInput(CsvInput) { Label = "CSV", IsMultiline = true, Placeholder = kind.ExampleCsv.Split('\n')[0].Trim() });
        if (manualRows > 0)
            card.Add(new TextBlock($"{manualRows} row(s) added manually so far.") { Weight = TextWeight.Bolder });

        var manual = new AdaptiveCard();
        manual.Add(manualInputs);
        manual.AddAction(new ExecuteAction("Add row", ManualVerb, Data(op)));
        card.AddAction(new ExecuteAction("Preview", PreviewVerb, Data(op)) { Style = ActionStyle.Positive });
        card.AddAction(new ShowCardAction($"Add {Singular(kind)} manually", manual));
        card.AddAction(new ExecuteAction("Example CSV", ExampleVerb, Data(op)) { SendInputs = false });
        card.AddAction(new ExecuteAction("Cancel", CancelVerb, Data(op)) { SendInputs = false });
        return card;
    }

    /// Step 3: counts, the first rows, every error with its line number (up to <see cref="MaxErrorsShown"/>), confirm.
    public static AdaptiveCard Preview(IImportKind kind, PendingOperation op, IReadOnlyList<StoredRow> rows, IReadOnlyList<string> ignoredColumns,
        IReadOnlyList<string> previewFields, string? approvalReason)
    {
        var invalid = rows.Where(r => r.State == ImportRowState.Invalid).ToList();
        var valid = rows.Count - invalid.Count;
        var card = Titled($"{Title(kind)} in {op.TenantName}", "Step 3 of 3: check and confirm");
        card.Add(new FactSet(
        [
            new("Rows", rows.Count.ToString("N0", CultureInfo.InvariantCulture)),
            new("Ready", valid.ToString("N0", CultureInfo.InvariantCulture)),
            new("With errors (skipped)", invalid.Count.ToString("N0", CultureInfo.InvariantCulture)),
        ]));
        if (ignoredColumns.Count > 0)
            card.Add(new TextBlock("Ignored columns: " + string.Join(", ", ignoredColumns)) { Color = TextColor.Warning, Size = TextSize.Small });

        card.Add(new TextBlock($"First {Math.Min(PreviewRows, rows.Count)} row(s)") { Weight = TextWeight.Bolder });
        foreach (var row in rows.Take(PreviewRows))
        {
            var values = string.Join(" · ", previewFields.Select(f => row[f]).Where(v => v is not null));
            card.Add(new TextBlock($"{(row.State == ImportRowState.Invalid ? "✗" : "✓")} {LineText(row.Line)}: {values}") { Size = TextSize.Small });
        }

        if (invalid.Count > 0)
        {
            card.Add(new TextBlock("Rows with errors") { Weight = TextWeight.Bolder, Color = TextColor.Attention });
            foreach (var row in invalid.Take(MaxErrorsShown))
                card.Add(new TextBlock($"{Capitalized(LineText(row.Line))}: {row.Detail}") { Size = TextSize.Small, Color = TextColor.Attention });
            if (invalid.Count > MaxErrorsShown)
                card.Add(new TextBlock($"…and {invalid.Count - MaxErrorsShown:N0} more rows with errors (all listed in the results file).") { Size = TextSize.Small });
        }

        if (approvalReason is not null)
            card.Add(new TextBlock($"Needs an approver: {approvalReason}.") { Color = TextColor.Warning });
        if (valid > 0)
            card.AddAction(new ExecuteAction(kind.Action.Id == "bulk-invite" ? $"Invite {valid:N0} guest(s)" : $"Create {valid:N0} user(s)", ConfirmVerb, Data(op)) { Style = ActionStyle.Positive, SendInputs = false });
        card.AddAction(new ExecuteAction("Back", BackVerb, Data(op)) { SendInputs = false });
        card.AddAction(new ExecuteAction("Cancel", CancelVerb, Data(op)) { SendInputs = false });
        return card;
    }

    /// Edited in place while the job runs (at most once a second).
    public static AdaptiveCard Progress(IImportKind kind, PendingOperation op, ImportCounts counts)
    {
        var total = Math.Max(1, counts.ToRun);
        var share = (double)counts.Done / total;
        var card = Titled($"{Title(kind)} in {op.TenantName}: running", $"{counts.Done:N0} of {counts.ToRun:N0} done");
        card.Add(new TextBlock(Bar(share) + $" {share:P0}") { Weight = TextWeight.Bolder, Color = TextColor.Accent });
        card.Add(new FactSet(
        [
            new("Succeeded", (counts.Succeeded + counts.PartlySucceeded).ToString("N0", CultureInfo.InvariantCulture)),
            new("Failed", counts.Failed.ToString("N0", CultureInfo.InvariantCulture)),
            new("Waiting", (counts.ToRun - counts.Done).ToString("N0", CultureInfo.InvariantCulture)),
        ]));
        return card;
    }

    /// The end: counts, the first failures with their reasons, where the results file went.
    public static AdaptiveCard Results(IImportKind kind, PendingOperation op, IReadOnlyList<StoredRow> rows, string delivery)
    {
        var counts = ImportCounts.Of(rows);
        var ok = counts.Failed == 0 && counts.PartlySucceeded == 0 && counts.Invalid == 0;
        var card = new AdaptiveCard { FallbackText = $"{Title(kind)}: {counts.Succeeded} of {counts.Total} succeeded" };
        card.Add(new TextBlock($"{Title(kind)} in {op.TenantName}: finished") { Size = TextSize.Medium, Weight = TextWeight.Bolder, Color = ok ? TextColor.Good : TextColor.Warning });
        card.Add(new FactSet(
        [
            new("Succeeded", counts.Succeeded.ToString("N0", CultureInfo.InvariantCulture)),
            new("Succeeded, some steps failed", counts.PartlySucceeded.ToString("N0", CultureInfo.InvariantCulture)),
            new("Failed", counts.Failed.ToString("N0", CultureInfo.InvariantCulture)),
            new("Skipped (errors at preview)", counts.Invalid.ToString("N0", CultureInfo.InvariantCulture)),
        ]));
        var problems = rows.Where(r => r.State is ImportRowState.Failed or ImportRowState.PartlySucceeded).ToList();
        foreach (var row in problems.Take(20))
            card.Add(new TextBlock($"{(row.State == ImportRowState.Failed ? "✗" : "⚠")} {LineText(row.Line)}: {row.Detail}") { Size = TextSize.Small, Color = TextColor.Attention });
        if (problems.Count > 20)
            card.Add(new TextBlock($"…and {problems.Count - 20:N0} more (see the results file).") { Size = TextSize.Small });
        if (rows.Count == 1 && rows[0].State is ImportRowState.Succeeded or ImportRowState.PartlySucceeded)
            card.Add(new TextBlock(rows[0].Detail ?? "") { Size = TextSize.Small });
        card.Add(new TextBlock(delivery) { IsSubtle = true });
        return card;
    }

    /// Posted to the helpdesk channel (or the request's conversation) when the job needs an approver.
    public static AdaptiveCard Approval(IImportKind kind, PendingOperation op, int rows, string reason)
    {
        var card = Titled($"Approve: {Title(kind)} in {op.TenantName}?", $"{op.RequesterName} asks to run {rows:N0} row(s); {reason}.");
        card.AddAction(new ExecuteAction("Approve", ApproveVerb, Data(op)) { Style = ActionStyle.Positive, SendInputs = false });
        card.AddAction(new ExecuteAction("Reject", RejectVerb, Data(op)) { Style = ActionStyle.Destructive, SendInputs = false });
        return card;
    }

    public static AdaptiveCard Message(string title, string text) =>
        new AdaptiveCard { FallbackText = title }
            .Add(new TextBlock(title) { Weight = TextWeight.Bolder })
            .Add(new TextBlock(text));

    /// "line 7" for a CSV row, "manual row 2" for a row added on the card.
    public static string LineText(int line) => line < 0 ? $"manual row {-line}" : $"line {line}";

    public static string Title(IImportKind kind) => kind.Noun == "guests" ? "Bulk invite guests" : "Bulk add users";

    internal static string Bar(double share)
    {
        const int width = 20;
        var full = (int)Math.Round(Math.Clamp(share, 0, 1) * width);
        return new string('█', full) + new string('░', width - full);
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Singular(IImportKind kind) => kind.Noun == "guests" ? "guest" : "user";

    private static string Templates(IImportKind kind) => kind.Noun == "guests"
        ? "CIPP's displayName,mail,redirectUri or the Entra bulk-invite template"
        : "CIPP's template, the Microsoft 365 admin center's or Entra's bulk-create template; optional columns licenses, groups, manager, password, usageLocation";

    private static AdaptiveCard Titled(string title, string subtitle)
    {
        var card = new AdaptiveCard { FallbackText = title };
        card.Add(new TextBlock(title) { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        card.Add(new TextBlock(subtitle) { IsSubtle = true });
        return card;
    }

    private static ExecuteAction Button(string title, string verb, PendingOperation op) => new(title, verb, Data(op)) { Style = ActionStyle.Positive };

    private static JsonObject Data(PendingOperation op) => new() { [OperationKey] = op.Id.ToString() };
}
