using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Jobs;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Guests;

/// Bulk Invite Guests (and Invite Guest, a one-row import): options are the send-e-mail toggle, a message and the
/// redirect URL for every row; rows are guests (CIPP's displayName,mail,redirectUri or the Entra bulk-invite template).
internal sealed class GuestImportKind(UserOperations users) : IImportKind
{
    public const string Id = "bulk-invite";
    public const string SendEmailOption = "sendEmail";
    public const string MessageOption = "message";
    public const string RedirectOption = "redirectUri";
    public const string DefaultRedirect = "https://myapps.microsoft.com";

    public static readonly ActionDescriptor Descriptor = new(Id, "Invite Guests", UserActions.AccountManagement,
        "Invites external people as guest users (one, or many from a CSV).", true, PolicyClass.Change,
        ["Creates guest accounts", "Microsoft e-mails the invitation when chosen"], [], []);

    public string ActionId => Id;

    public ActionDescriptor Action => Descriptor;

    public string Noun => "guests";

    public string Command => "bulk invite";

    public string CommandDescription => "Invite many guests from a CSV (pasted or sent as a file) or rows added one by one";

    public IReadOnlyDictionary<string, string> Columns => ImportColumns.Guests;

    public IReadOnlyCollection<string> RequiredAnyOf { get; } = [ImportColumns.Mail];

    public string ExampleFileName => "BulkGuestInvite.csv";

    public string ExampleCsv =>
        "displayName,mail,redirectUri\r\n" +
        "Pat Partner,pat@partner.example,https://myapps.microsoft.com\r\n" +
        "Sam Supplier,sam@supplier.example,\r\n";

    public string Label(IReadOnlyDictionary<string, string> values, JsonObject options) => values.GetValueOrDefault(ImportColumns.Mail) ?? "";

    public Task<IReadOnlyList<CardElement>> OptionInputsAsync(string tenantId, JsonObject options, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<CardElement>>(Inputs(options));

    /// The send-e-mail toggle, message and redirect URL (also on the Invite Guest card).
    public static List<CardElement> Inputs(JsonObject options) =>
    [
        new ToggleInput(SendEmailOption, "Send invite via e-mail") { Value = options[SendEmailOption]?.ToString() != "false" },
        new TextInput(MessageOption) { Label = "Personal message in the invitation (optional)", IsMultiline = true, MaxLength = 1000, Value = options[MessageOption]?.ToString() },
        new TextInput(RedirectOption) { Label = "Redirect URL after redeeming (rows may give their own)", Value = options[RedirectOption]?.ToString() ?? DefaultRedirect, MaxLength = 2048 },
    ];

    public (JsonObject Options, string? Error) ReadOptions(JsonElement data)
    {
        var options = new JsonObject { [SendEmailOption] = ImportFeature.Read(data, SendEmailOption) == "false" ? "false" : "true" };
        if (ImportFeature.Read(data, MessageOption)?.Trim() is { Length: > 0 } message)
        {
            options[MessageOption] = message;
            if (message.Length > 1000)
                return (options, "The message can be at most 1,000 characters.");
        }
        var redirect = ImportFeature.Read(data, RedirectOption)?.Trim();
        if (!string.IsNullOrEmpty(redirect))
        {
            options[RedirectOption] = redirect;
            if (!IsUrl(redirect))
                return (options, "The redirect URL must be an absolute https:// or http:// address.");
        }
        return (options, null);
    }

    public IReadOnlyList<CardInput> ManualInputs(string tenantDefaultDomain) =>
    [
        new TextInput(ImportColumns.DisplayName) { Label = "Display name", MaxLength = 256 },
        new TextInput(ImportColumns.Mail) { Label = "E-mail address", MaxLength = 256 },
        new TextInput(ImportColumns.RedirectUri) { Label = "Redirect URL (optional)", MaxLength = 2048 },
    ];

    public async Task<ImportCheck> ValidateAsync(CustomerTenant tenant, JsonObject options, IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var errors = new Dictionary<int, List<string>>();
        void Add(int i, string message) => (errors.TryGetValue(i, out var list) ? list : errors[i] = []).Add(message);
        var first = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var mail = row[ImportColumns.Mail];
            if (mail is null)
            {
                Add(i, "Missing required field: mail (the guest's e-mail address)");
                continue;
            }
            if (!NewUserValidation.IsEmail(mail))
                Add(i, $"“{mail}” is not a valid e-mail address");
            if (NewUserValidation.CheckLength("displayName", row[ImportColumns.DisplayName], "Display name") is { } length)
                Add(i, length);
            if (row[ImportColumns.RedirectUri] is { } redirect && !IsUrl(redirect))
                Add(i, "The redirect URL must be an absolute https:// or http:// address");
            if (row[ImportColumns.SendEmail] is { } send && !bool.TryParse(send, out _))
                Add(i, "sendEmail must be true or false");
            if (row[ImportColumns.Message]?.Length > 1000)
                Add(i, "The message can be at most 1,000 characters");
            if (first.TryGetValue(mail, out var earlier))
                Add(i, $"Duplicate in the file: {mail} is also on {ImportCards.LineText(rows[earlier].Line)}");
            else
                first[mail] = i;
        }

        var existing = await users.FindByMailAsync(tenant.TenantId, first.Keys, ct);
        if (!existing.Succeeded)
            return ImportCheck.Fail("I could not check which guests already exist: " + existing.Failure.Message);
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i][ImportColumns.Mail] is { } mail && existing.Value!.ContainsKey(mail))
                Add(i, $"{mail} already exists in the tenant");
        }
        return new ImportCheck(errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value));
    }

    public void Enqueue(JobScheduler jobs, Guid operationId) => jobs.Enqueue<BulkInviteJob>(operationId);

    /// The invitation for a row: the row's own redirect URL, e-mail choice and message, else the wizard's.
    public static GuestInvitation ToInvitation(IReadOnlyDictionary<string, string> values, JsonObject options)
    {
        string? Value(string key) => values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var send = Value(ImportColumns.SendEmail) is { } s ? bool.TryParse(s, out var b) && b : options[SendEmailOption]?.ToString() != "false";
        return new GuestInvitation(Value(ImportColumns.Mail) ?? "", Value(ImportColumns.DisplayName))
        {
            RedirectUrl = Value(ImportColumns.RedirectUri) ?? options[RedirectOption]?.ToString() ?? DefaultRedirect,
            SendInvitationMessage = send,
            Message = Value(ImportColumns.Message) ?? options[MessageOption]?.ToString(),
        };
    }

    internal static bool IsUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
