using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Storage;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.BulkAdd;

/// Bulk Add Users: options are the usage location and licenses for every row; rows are users (CIPP, Microsoft 365 admin
/// center or Entra templates, plus licenses, groups, manager, password and usageLocation columns).
internal sealed class BulkAddKind(DomainOperations domains, LicenseOperations licenses, UserOperations users, GroupOperations groups, PreferenceStore preferences) : IImportKind
{
    public const string Id = "bulk-add";
    public const string UsageLocationOption = "usageLocation";
    public const string LicensesOption = "licenses";

    public static readonly ActionDescriptor Descriptor = new(Id, "Bulk Add Users", UserActions.AccountManagement,
        "Creates many users from a CSV or rows added one by one.", true, PolicyClass.Change,
        ["Creates new accounts", "Assigns licenses (may cost money)", "Passwords go only to you, in the results file"], [], []);

    public string ActionId => Id;

    public ActionDescriptor Action => Descriptor;

    public string Noun => "users";

    public string Command => "bulk add";

    public string CommandDescription => "Create many users from a CSV (pasted or sent as a file) or rows added one by one";

    public IReadOnlyDictionary<string, string> Columns => ImportColumns.Users;

    public IReadOnlyCollection<string> RequiredAnyOf { get; } = [ImportColumns.Username, ImportColumns.UserPrincipalName];

    public string ExampleFileName => "BulkUser.csv";

    public string ExampleCsv =>
        "givenName,surName,displayName,mailNickName,domain,JobTitle,streetAddress,PostalCode,City,State,Department,MobilePhone,businessPhones,usageLocation,licenses,groups,manager,password\r\n" +
        "Jane,Doe,Jane Doe,jane.doe,contoso.com,Nurse,1 Main St,10001,New York,NY,Care,+1 555 0100,+1 555 0101,US,,,,\r\n" +
        "John,Roe,John Roe,john.roe,contoso.com,Accountant,,,Boston,MA,Finance,,,US,O365_BUSINESS_PREMIUM,Finance Team,jane.doe@contoso.com,\r\n";

    public string Label(IReadOnlyDictionary<string, string> values, JsonObject options) => new BulkAddRow(values, "", null).UserPrincipalName;

    public async Task<IReadOnlyList<CardElement>> OptionInputsAsync(string tenantId, JsonObject options, CancellationToken ct)
    {
        var prefs = await AddUserPreferences.ReadAsync(preferences, tenantId, ct);
        var skus = await licenses.ListSkusAsync(tenantId, ct);
        var elements = new List<CardElement>
        {
            new TextInput(UsageLocationOption)
            {
                Label = "Usage location for every row without its own (two-letter country code, needed for licenses)",
                Value = options[UsageLocationOption]?.ToString() ?? prefs.UsageLocation ?? "US",
                MaxLength = 2,
            },
        };
        if (skus.Succeeded && skus.Value!.Any(s => s.AssignableToUsers))
        {
            elements.Add(new ChoiceSetInput(LicensesOption, skus.Value!.Where(s => s.AssignableToUsers)
                .Select(s => new Choice($"{s.FriendlyName} ({s.Available} available)", s.SkuId.ToString())))
            { Label = "Licenses for every user (optional)", IsMultiSelect = true, Value = options[LicensesOption]?.ToString() });
        }
        return elements;
    }

    public (JsonObject Options, string? Error) ReadOptions(JsonElement data)
    {
        var options = new JsonObject();
        var location = ImportFeature.Read(data, UsageLocationOption)?.Trim();
        if (!string.IsNullOrEmpty(location))
        {
            options[UsageLocationOption] = location.ToUpperInvariant();
            if (!NewUserValidation.IsUsageLocation(location))
                return (options, "Usage location is a two-letter country code (e.g. US, NL).");
        }
        var chosen = ImportFeature.Read(data, LicensesOption);
        if (!string.IsNullOrWhiteSpace(chosen))
        {
            var ids = chosen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Any(i => !Guid.TryParse(i, out _)))
                return (options, "Choose licenses from the list.");
            options[LicensesOption] = string.Join(',', ids);
        }
        return (options, null);
    }

    public IReadOnlyList<CardInput> ManualInputs(string tenantDefaultDomain) =>
    [
        new TextInput(ImportColumns.GivenName) { Label = "First name", MaxLength = 64 },
        new TextInput(ImportColumns.Surname) { Label = "Last name", MaxLength = 64 },
        new TextInput(ImportColumns.DisplayName) { Label = "Display name (empty: first and last name)", MaxLength = 256 },
        new TextInput(ImportColumns.Username) { Label = "Username (before the @)", MaxLength = 64 },
        new TextInput(ImportColumns.Domain) { Label = "Domain", Placeholder = tenantDefaultDomain, MaxLength = 48 },
        new TextInput(ImportColumns.JobTitle) { Label = "Job title", MaxLength = 128 },
        new TextInput(ImportColumns.Department) { Label = "Department", MaxLength = 64 },
    ];

    public async Task<ImportCheck> ValidateAsync(CustomerTenant tenant, JsonObject options, IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var verified = await domains.ListVerifiedAsync(tenant.TenantId, ct);
        if (!verified.Succeeded)
            return ImportCheck.Fail("I could not read the tenant's domains: " + verified.Failure.Message);
        var domainNames = verified.Value!.Select(d => d.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var defaultDomain = verified.Value!.FirstOrDefault(d => d.IsDefault)?.Name ?? tenant.DefaultDomain;
        var defaultLocation = options[UsageLocationOption]?.ToString();
        var wizardLicenses = options[LicensesOption]?.ToString() is { Length: > 0 } l ? l.Split(',').Length : 0;
        var parsed = rows.Select(r => new BulkAddRow(r.Values, defaultDomain, defaultLocation)).ToList();

        IReadOnlyList<LicenseSku> skus = [];
        if (parsed.Any(r => r.Licenses.Count > 0))
        {
            var list = await licenses.ListSkusAsync(tenant.TenantId, ct);
            if (!list.Succeeded)
                return ImportCheck.Fail("I could not read the tenant's licenses: " + list.Failure.Message);
            skus = list.Value!;
        }
        var groupNames = parsed.SelectMany(r => r.Groups).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var knownGroups = await ResolveGroupsAsync(tenant.TenantId, groupNames, ct);

        var errors = new Dictionary<int, List<string>>();
        void Add(int i, string message) => (errors.TryGetValue(i, out var list) ? list : errors[i] = []).Add(message);

        var firstLine = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < parsed.Count; i++)
        {
            var row = parsed[i];
            var missing = new List<string>();
            if (row.Username is null)
                missing.Add("username (mailNickName or User Name)");
            if (row.DisplayName.Length == 0)
                missing.Add("displayName or givenName/surName");
            if (missing.Count > 0)
            {
                Add(i, "Missing required field: " + string.Join(", ", missing));
                continue;
            }
            if (NewUserValidation.CheckUsername(row.Username) is { } usernameError)
                Add(i, usernameError);
            if (!domainNames.Contains(row.Domain))
                Add(i, $"Unknown domain {row.Domain} (not a verified domain of {tenant.DisplayName})");
            if (row.DisplayName.Length > 256)
                Add(i, "Display name can be at most 256 characters.");
            foreach (var (field, property, label) in BulkAddRow.LengthChecked)
            {
                if (NewUserValidation.CheckLength(property, row[field], label) is { } lengthError)
                    Add(i, lengthError);
            }
            if (row[ImportColumns.UsageLocation] is { } location && !NewUserValidation.IsUsageLocation(location))
                Add(i, $"Usage location “{location}” is not a two-letter country code");
            if ((row.Licenses.Count > 0 || wizardLicenses > 0) && row.UsageLocation is null)
                Add(i, "A usage location is needed to assign licenses");
            foreach (var license in row.Licenses.Where(x => FindSku(skus, x) is null))
                Add(i, $"Unknown license “{license}”");
            foreach (var group in row.Groups.Where(g => !knownGroups.ContainsKey(g)))
                Add(i, $"Unknown group “{group}”");
            if (row.OtherMailsInvalid() is { } mailError)
                Add(i, mailError);
            if (row[ImportColumns.Manager] is { } manager && !manager.Contains('@', StringComparison.Ordinal) && !Guid.TryParse(manager, out _))
                Add(i, "Manager must be a UPN or an object id");
            if (rows[i].Password is { } password && PasswordGenerator.CheckComplexity(password) is { } weak)
                Add(i, "Password: " + weak);
            if (firstLine.TryGetValue(row.UserPrincipalName, out var first))
                Add(i, $"Duplicate in the file: {row.UserPrincipalName} is also on {ImportCards.LineText(rows[first].Line)}");
            else
                firstLine[row.UserPrincipalName] = i;
        }

        // One lookup per 15 names (300 per round trip), not one per row.
        var candidates = firstLine.Keys.ToList();
        var existing = await users.FindExistingAsync(tenant.TenantId, candidates, ct);
        if (!existing.Succeeded)
            return ImportCheck.Fail("I could not check which users already exist: " + existing.Failure.Message);
        for (var i = 0; i < parsed.Count; i++)
        {
            if (parsed[i].Username is not null && existing.Value!.ContainsKey(parsed[i].UserPrincipalName))
                Add(i, $"{parsed[i].UserPrincipalName} already exists in the tenant");
        }
        // Stored with the username and domain spelled out, so the job creates exactly the UPN the preview showed.
        var normalized = rows.Select((r, i) =>
        {
            var values = r.Values.Where(p => p.Key != ImportColumns.UserPrincipalName).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            if (parsed[i].Username is { } username)
            {
                values[ImportColumns.Username] = username;
                values[ImportColumns.Domain] = parsed[i].Domain;
            }
            return r with { Values = values };
        }).ToList();
        return new ImportCheck(errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value), null, normalized);
    }

    public void Enqueue(JobScheduler jobs, Guid operationId) => jobs.Enqueue<BulkAddJob>(operationId);

    /// License by SKU id, part number (O365_BUSINESS_PREMIUM) or friendly name.
    internal static LicenseSku? FindSku(IReadOnlyList<LicenseSku> skus, string text) =>
        skus.FirstOrDefault(s => Guid.TryParse(text, out var id) ? s.SkuId == id
            : string.Equals(s.SkuPartNumber, text, StringComparison.OrdinalIgnoreCase) || string.Equals(s.FriendlyName, text, StringComparison.OrdinalIgnoreCase));

    /// Group name or id → group id, for the distinct groups of the whole file (a few calls, not one per row).
    internal async Task<Dictionary<string, string>> ResolveGroupsAsync(string tenantId, IReadOnlyList<string> names, CancellationToken ct)
    {
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            if (Guid.TryParse(name, out _))
            {
                var byId = await groups.GetAsync(tenantId, name, ct);
                if (byId.Succeeded)
                    found[name] = byId.Value!.Id;
                continue;
            }
            var search = await groups.SearchAsync(tenantId, name, 10, ct);
            if (search.Succeeded && search.Value!.FirstOrDefault(g => string.Equals(g.DisplayName, name, StringComparison.OrdinalIgnoreCase)) is { } match)
                found[name] = match.Id;
        }
        return found;
    }
}
