using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CippUsers.Graph.Exchange;

/// <summary>
/// Exchange Online cmdlets over the admin REST API (<c>POST {BaseUrl}/adminapi/beta/{tenantId}/InvokeCommand</c>), for
/// what Graph cannot do: mailbox type, archive, forwarding, out of office. App-only token for
/// https://outlook.office365.com/.default from the tenant's Graph credential (the app needs Exchange.ManageAsApp and an
/// Exchange admin role), X-AnchorMailbox per call, paging by <c>@odata.nextLink</c>, retries of 408/429/5xx through the
/// HTTP client's resilience handler, and answers as <see cref="GraphResult{T}"/>s.
/// </summary>
public sealed partial class ExchangeCommands
{
    /// <summary>The named HttpClient (resilience handler, trusted certificate) the client uses.</summary>
    public const string HttpClientName = "exchange";

    /// <summary><see cref="GraphFailure.Code"/> when the user has no mailbox.</summary>
    public const string NoMailboxCode = ExchangeFailures.NoMailboxCode;

    /// <summary><see cref="GraphFailure.Code"/> when the app may not use Exchange in the tenant (403).</summary>
    public const string ForbiddenCode = ExchangeFailures.ForbiddenCode;

    private const string SystemMailbox = "SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}";

    internal static readonly string[] MailboxSelect =
    [
        "ExternalDirectoryObjectId", "UserPrincipalName", "DisplayName", "PrimarySmtpAddress", "Alias", "RecipientTypeDetails",
        "ArchiveStatus", "ArchiveGuid", "AutoExpandingArchiveEnabled", "ForwardingSmtpAddress", "ForwardingAddress",
        "DeliverToMailboxAndForward", "HiddenFromAddressListsEnabled", "EmailAddresses",
    ];

    private readonly IHttpClientFactory httpClients;
    private readonly TenantClients tenantClients;
    private readonly CustomerTenants tenants;
    private readonly ExchangeOptions options;
    private readonly GraphOptions graphOptions;
    private readonly ILogger<ExchangeCommands> log;

    internal ExchangeCommands(IHttpClientFactory httpClients, TenantClients tenantClients, CustomerTenants tenants,
        IOptions<ExchangeOptions> options, IOptions<GraphOptions> graphOptions, ILogger<ExchangeCommands> log)
    {
        this.httpClients = httpClients;
        this.tenantClients = tenantClients;
        this.tenants = tenants;
        this.options = options.Value;
        this.graphOptions = graphOptions.Value;
        this.log = log;
    }

    /// <summary>
    /// The user's mailbox (Identity = UPN, SMTP address, alias or object id); <c>Ok(null)</c> when the user has none
    /// (a guest, an unlicensed user, or a licence without Exchange).
    /// </summary>
    public async Task<GraphResult<Mailbox?>> GetMailboxAsync(string tenantId, string identity, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        var answer = await InvokeAsync(tenantId, "Get-Mailbox", new JsonObject { ["Identity"] = identity }, AnchorFor(identity), MailboxSelect, ct);
        if (!answer.Succeeded)
            return answer.Failure.Code == NoMailboxCode ? GraphResult<Mailbox?>.Ok(null) : answer.Failure;
        return GraphResult<Mailbox?>.Ok(answer.Value!.Rows.Count == 0 ? null : ToMailbox(answer.Value.Rows[0]));
    }

    /// <summary>Every mailbox of the tenant (all pages), optionally only one type.</summary>
    public async Task<GraphResult<IReadOnlyList<Mailbox>>> ListMailboxesAsync(string tenantId, MailboxType? type, CancellationToken ct)
    {
        var parameters = new JsonObject { ["ResultSize"] = "Unlimited" };
        if (type is { } only)
            parameters["RecipientTypeDetails"] = RecipientTypeDetails(only);
        var answer = await InvokeAsync(tenantId, "Get-Mailbox", parameters, null, MailboxSelect, ct);
        return answer.Succeeded
            ? GraphResult<IReadOnlyList<Mailbox>>.Ok([.. answer.Value!.Rows.Select(ToMailbox)])
            : answer.Failure;
    }

    /// <summary>Converts the mailbox (Set-Mailbox -Type Regular|Shared|Room|Equipment). Licences are not touched.</summary>
    public async Task<GraphResult> SetMailboxTypeAsync(string tenantId, string userPrincipalName, MailboxType type, CancellationToken ct)
    {
        var value = type switch
        {
            MailboxType.User => "Regular",
            MailboxType.Shared => "Shared",
            MailboxType.Room => "Room",
            MailboxType.Equipment => "Equipment",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "A mailbox converts to a user, shared, room or equipment mailbox."),
        };
        return (await InvokeAsync(tenantId, "Set-Mailbox", new JsonObject { ["Identity"] = userPrincipalName, ["Type"] = value },
            AnchorFor(userPrincipalName), null, ct)).WithoutValue();
    }

    /// <summary>The mailbox's out-of-office settings; NotFound with <see cref="NoMailboxCode"/> when the user has no mailbox.</summary>
    public async Task<GraphResult<AutoReplyConfiguration>> GetAutoReplyAsync(string tenantId, string userPrincipalName, CancellationToken ct)
    {
        var answer = await InvokeAsync(tenantId, "Get-MailboxAutoReplyConfiguration", new JsonObject { ["Identity"] = userPrincipalName },
            AnchorFor(userPrincipalName), null, ct);
        if (!answer.Succeeded)
            return answer.Failure;
        if (answer.Value!.Rows.Count == 0)
            return ExchangeFailures.NoMailbox;
        var row = answer.Value.Rows[0];
        return GraphResult<AutoReplyConfiguration>.Ok(new AutoReplyConfiguration(
            Enum.TryParse<AutoReplyState>(ExchangeJson.String(row, "AutoReplyState"), true, out var state) ? state : AutoReplyState.Disabled,
            Enum.TryParse<ExternalAudience>(ExchangeJson.String(row, "ExternalAudience"), true, out var audience) ? audience : ExternalAudience.None,
            ExchangeJson.String(row, "InternalMessage") ?? "",
            ExchangeJson.String(row, "ExternalMessage") ?? "",
            ExchangeJson.Time(row, "StartTime"),
            ExchangeJson.Time(row, "EndTime"),
            ExchangeJson.Bool(row, "CreateOOFEvent"),
            ExchangeJson.String(row, "OOFEventSubject"),
            ExchangeJson.Bool(row, "AutoDeclineFutureRequestsWhenOOF"),
            ExchangeJson.Bool(row, "DeclineEventsForScheduledOOF"),
            ExchangeJson.Bool(row, "DeclineAllEventsForScheduledOOF"),
            ExchangeJson.String(row, "DeclineMeetingMessage")));
    }

    /// <summary>Sets out of office (Set-MailboxAutoReplyConfiguration); only the values given are sent.</summary>
    public async Task<GraphResult> SetAutoReplyAsync(string tenantId, string userPrincipalName, AutoReplySettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var parameters = new JsonObject { ["Identity"] = userPrincipalName, ["AutoReplyState"] = settings.State.ToString() };
        void Add(string name, JsonNode? value)
        {
            if (value is not null)
                parameters[name] = value;
        }
        Add("ExternalAudience", settings.ExternalAudience?.ToString());
        Add("InternalMessage", settings.InternalMessage);
        Add("ExternalMessage", settings.ExternalMessage);
        Add("StartTime", settings.StartTime?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add("EndTime", settings.EndTime?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Add("CreateOOFEvent", settings.CreateOofEvent);
        Add("OOFEventSubject", settings.OofEventSubject);
        Add("AutoDeclineFutureRequestsWhenOOF", settings.AutoDeclineFutureRequestsWhenOof);
        Add("DeclineEventsForScheduledOOF", settings.DeclineEventsForScheduledOof);
        Add("DeclineAllEventsForScheduledOOF", settings.DeclineAllEventsForScheduledOof);
        Add("DeclineMeetingMessage", settings.DeclineMeetingMessage);
        return (await InvokeAsync(tenantId, "Set-MailboxAutoReplyConfiguration", parameters, AnchorFor(userPrincipalName), null, ct)).WithoutValue();
    }

    /// <summary>
    /// Runs any cmdlet and returns every page of its output. <paramref name="anchorMailbox"/> is the X-AnchorMailbox
    /// (the target user's UPN for a mailbox call); null anchors on the tenant's system mailbox. A "not found" answer
    /// fails with <see cref="NoMailboxCode"/>.
    /// </summary>
    public async Task<GraphResult<ExchangeOutput>> InvokeAsync(string tenantId, string cmdlet, JsonObject parameters, string? anchorMailbox,
        IReadOnlyCollection<string>? select, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cmdlet);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!tenants.IsKnown(tenantId) && !string.Equals(graphOptions.HomeTenantId, tenantId, StringComparison.OrdinalIgnoreCase))
            return GraphCalls.UnknownTenant;

        var root = new Uri(options.BaseUrl.TrimEnd('/') + "/");
        var url = new Uri(root, $"adminapi/beta/{Uri.EscapeDataString(tenantId)}/InvokeCommand"
            + (select is { Count: > 0 } ? "?$select=" + string.Join(',', select) : ""));
        var body = new JsonObject
        {
            ["CmdletInput"] = new JsonObject { ["CmdletName"] = cmdlet, ["Parameters"] = parameters.DeepClone() },
        }.ToJsonString();
        var anchor = anchorMailbox ?? $"APP:{SystemMailbox}@{tenantId}";
        var rows = new List<JsonObject>();
        var warnings = new List<string>();
        try
        {
            if (await SendPagesAsync(tenantId, cmdlet, url, body, anchor, rows, warnings, ct) is { } failure)
                return failure;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var failure = ExchangeFailures.FromException(e);
            log.LogInformation("Exchange {Cmdlet} in {TenantId} failed: {ErrorType} ({Code})", cmdlet, tenantId, e.GetType().Name, failure.Code);
            return failure;
        }

        return GraphResult<ExchangeOutput>.Ok(new ExchangeOutput(rows, warnings));
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="url"/> and to every nextLink after it, collecting rows
    /// and warnings; the failure of the first page that fails, else null.</summary>
    private async Task<GraphFailure?> SendPagesAsync(string tenantId, string cmdlet, Uri url, string body, string anchor,
        List<JsonObject> rows, List<string> warnings, CancellationToken ct)
    {
        var root = new Uri(options.BaseUrl.TrimEnd('/') + "/");
        var http = httpClients.CreateClient(HttpClientName);
        var credential = tenantClients.CredentialFor(tenantId);
        for (var page = 1; ; page++)
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([options.Scope]), ct);
            using var request = new HttpRequestMessage(HttpMethod.Post, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            request.Headers.Add("X-AnchorMailbox", anchor);
            request.Headers.Add("Prefer", $"odata.maxpagesize={options.PageSize}");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");

            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var requestId = response.Headers.TryGetValues("request-id", out var ids) ? ids.FirstOrDefault() : null;
            if (!response.IsSuccessStatusCode)
            {
                var failure = ExchangeFailures.FromResponse(response.StatusCode, text, requestId);
                log.LogInformation("Exchange {Cmdlet} in {TenantId} failed: {Status} {Code} request {RequestId}",
                    cmdlet, tenantId, (int)response.StatusCode, failure.Code, requestId);
                return failure;
            }

            if (response.StatusCode == HttpStatusCode.NoContent || text.Length == 0)
                return null;
            if (ExchangeJson.TryParse(text) is not JsonObject envelope)
            {
                log.LogWarning("Exchange {Cmdlet} in {TenantId} answered {Status} with a body that is not JSON", cmdlet, tenantId, (int)response.StatusCode);
                return Unreadable(requestId);
            }

            var next = Collect(envelope, rows, warnings);
            if (next is null)
                return null;
            // The same body and headers go to the next page, but the token only ever goes to the configured host.
            if (!SameHost(next, root, out var nextUrl))
            {
                log.LogWarning("Exchange {Cmdlet} in {TenantId}: nextLink on page {Page} points at another host; stopping", cmdlet, tenantId, page);
                return Unreadable(requestId);
            }
            url = nextUrl;
        }
    }

    /// <summary>Adds an envelope's rows (annotations removed) and warnings; returns its nextLink, if any.</summary>
    private static string? Collect(JsonObject envelope, List<JsonObject> rows, List<string> warnings)
    {
        rows.AddRange((envelope["value"] as JsonArray ?? []).OfType<JsonObject>().Select(ExchangeJson.StripAnnotations));
        warnings.AddRange((envelope["@adminapi.warnings"] as JsonArray ?? []).Select(w => (string?)w).OfType<string>());
        return (string?)envelope["@odata.nextLink"] is { Length: > 0 } next ? next : null;
    }

    private static bool SameHost(string link, Uri root, out Uri url) =>
        Uri.TryCreate(link, UriKind.Absolute, out url!) && string.Equals(url.Authority, root.Authority, StringComparison.OrdinalIgnoreCase);

    private static GraphFailure Unreadable(string? requestId) =>
        new(GraphFailureKind.Unknown, "Exchange Online gave an answer the bot could not read.", requestId) { Code = "UnreadableAnswer" };

    /// <summary>The anchor for a call about one mailbox: its UPN or address; an object id anchors on the system mailbox.</summary>
    internal static string? AnchorFor(string identity) =>
        identity.Contains('@', StringComparison.Ordinal) ? identity : null;

    internal static string RecipientTypeDetails(MailboxType type) => type switch
    {
        MailboxType.User => "UserMailbox",
        MailboxType.Shared => "SharedMailbox",
        MailboxType.Room => "RoomMailbox",
        MailboxType.Equipment => "EquipmentMailbox",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    internal static Mailbox ToMailbox(JsonObject row)
    {
        var forwarding = ExchangeJson.String(row, "ForwardingSmtpAddress");
        if (forwarding is not null && forwarding.StartsWith("smtp:", StringComparison.OrdinalIgnoreCase))
            forwarding = forwarding[5..];
        var upn = ExchangeJson.String(row, "UserPrincipalName") ?? "";
        return new Mailbox(
            ExchangeJson.String(row, "ExternalDirectoryObjectId"),
            upn,
            ExchangeJson.String(row, "DisplayName") ?? upn,
            ExchangeJson.String(row, "PrimarySmtpAddress") ?? upn,
            ExchangeJson.String(row, "Alias"),
            ExchangeJson.String(row, "RecipientTypeDetails") ?? "",
            ExchangeJson.String(row, "ArchiveStatus") ?? "None",
            ExchangeJson.Bool(row, "AutoExpandingArchiveEnabled"),
            string.IsNullOrWhiteSpace(forwarding) ? null : forwarding,
            ExchangeJson.String(row, "ForwardingAddress") is { Length: > 0 } internalForward ? internalForward : null,
            ExchangeJson.Bool(row, "DeliverToMailboxAndForward"),
            ExchangeJson.Bool(row, "HiddenFromAddressListsEnabled"),
            ExchangeJson.Strings(row, "EmailAddresses"));
    }
}
