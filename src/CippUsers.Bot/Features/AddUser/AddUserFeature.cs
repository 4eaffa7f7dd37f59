using System.Collections.Concurrent;
using System.Text.Json;
using CippUsers.Bot.Access;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Features.Sherweb;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Teams;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.AddUser;

/// `add user [tenant] [key=value …]`: the Add User card, validation by field, confirm, create as a durable job, result card
/// with per-step retry. The stored operation holds the form without any password.
internal sealed class AddUserFeature(
    CustomerTenants tenants,
    DomainOperations domains,
    LicenseOperations licenses,
    UserOperations users,
    UserProvisioning provisioning,
    PendingOperationStore operations,
    PreferenceStore preferences,
    AccessPolicy policy,
    AddUserPasswords passwords,
    JobScheduler jobs,
    SherwebPurchase sherweb,
    OperationAudit audit,
    TimeProvider time,
    ILogger<AddUserFeature> log) : IFeature
{
    public const string ActionId = "add-user";

    /// Tenants with at most this many users get one choice list of everyone for manager and copy-groups-from.
    public const int FullListLimit = 100;

    /// Matches shown for one manager / copy-groups-from search.
    public const int SearchLimit = 25;

    /// Add User as the access policy sees it: a change in one tenant.
    public static readonly ActionDescriptor Action = new(ActionId, "Add User", UserActions.AccountManagement,
        "Creates a user with licenses, aliases, manager and groups.", false, PolicyClass.Change,
        ["Creates a new account", "Assigns licenses (may cost money)"], [], []);

    public void Map(BotRoutes routes)
    {
        routes.Command("add user", "Create a user (fields can be prefilled with key=value)", "add user contoso givenName=Jane surname=Doe", StartAsync, "new user");
        routes.Verb(Cards.CardVerbs.AddUserOpen, OpenAsync);
        routes.Verb(AddUserCards.SubmitVerb, SubmitAsync);
        routes.Verb(AddUserCards.FindVerb, FindAsync);
        routes.Verb(AddUserCards.ApplyTemplateVerb, ApplyTemplateAsync);
        routes.Verb(AddUserCards.ConfirmVerb, ConfirmAsync);
        routes.Verb(AddUserCards.CancelVerb, CancelAsync);
        routes.Verb(AddUserCards.RetryVerb, RetryAsync);
    }

    private async Task StartAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        var prefill = AddUserPrefill.FromArguments(arguments);
        var tenant = prefill.Tenant is null ? (tenants.All.Count == 1 ? tenants.All[0] : null) : tenants.Find(prefill.Tenant);
        if (tenant is null)
        {
            await turn.SendTextAsync(prefill.Tenant is null
                ? "Which tenant? For example: `add user contoso givenName=Jane surname=Doe`."
                : $"I don't know the tenant “{prefill.Tenant}”. `tenants` lists the ones I manage.", ct);
            return;
        }

        var refusal = Check(turn.Caller, tenant);
        if (refusal is not null)
        {
            await turn.SendCardAsync(AddUserCards.Message("Add user: not done", refusal), ct);
            return;
        }

        var card = await FormAsync(turn, tenant, new AddUserForm(prefill.Values), new Dictionary<string, string>(), prefill.UnknownKeys, ct);
        if (card is null)
        {
            await turn.SendTextAsync($"I could not read the domains or licenses of {tenant.DisplayName}. Try again in a minute.", ct);
            return;
        }
        await turn.SendCardAsync(card, ct);
    }

    /// The "Add user" button of the tenants and users cards: the form arrives as a new message, the list stays.
    private async Task OpenAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (CardTenant(turn, data, refuseOnCard: false) is not { } tenant)
            return;
        var card = await FormAsync(turn, tenant, new AddUserForm(new Dictionary<string, string>()), new Dictionary<string, string>(), [], ct);
        if (card is null)
        {
            turn.RespondWithMessage($"I could not read the domains or licenses of {tenant.DisplayName}. Try again in a minute.");
            return;
        }
        await turn.SendCardAsync(card, ct);
        turn.RespondWithMessage($"The Add User card for {tenant.DisplayName} is in the chat.");
    }

    private async Task<Cards.AdaptiveCard?> FormAsync(BotTurn turn, CustomerTenant tenant, AddUserForm form, IReadOnlyDictionary<string, string> errors, IReadOnlyList<string> unknown, CancellationToken ct)
    {
        var verified = await domains.ListVerifiedAsync(tenant.TenantId, ct);
        var skus = await licenses.ListSkusAsync(tenant.TenantId, ct);
        if (!verified.Succeeded || !skus.Succeeded)
            return null;
        var prefs = await AddUserPreferences.ReadAsync(preferences, tenant.TenantId, ct);
        var values = new Dictionary<string, string>(form.Values, StringComparer.Ordinal);
        if (prefs.UsageLocation is { } location)
            values.TryAdd(AddUserForm.UsageLocation, location);
        if (prefs.Domain is { } domain)
            values.TryAdd(AddUserForm.Domain, domain);
        form = new AddUserForm(values);
        var templates = await AddUserTemplates.ReadAsync(preferences, tenant.TenantId, ct);
        var extras = await PickersAsync(tenant, form, ct) with
        {
            Templates = [.. templates.Select(t => t.Name)],
            Groups = [.. templates.SelectMany(t => t.Groups).Where(g => form.GroupList.Contains(g.Id, StringComparer.OrdinalIgnoreCase)).DistinctBy(g => g.Id)],
            TimeZone = turn.TimeZone,
            Today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), AddUserSchedule.Zone(turn.TimeZone)).DateTime),
        };
        var card = AddUserCards.Form(tenant, verified.Value!, skus.Value!, prefs.Attributes, form, errors, unknown, extras);
        await sherweb.AddToFormAsync(card, tenant, turn.Caller, skus.Value!, form, errors, ct);
        return card;
    }

    // One count query decides: everyone in one list (small tenant), or a search box per picker with its last matches.
    private async Task<AddUserFormExtras> PickersAsync(CustomerTenant tenant, AddUserForm form, CancellationToken ct)
    {
        var everyone = await users.ChoicesAsync(tenant.TenantId, null, FullListLimit, ct);
        if (everyone.Succeeded && everyone.Value!.TotalCount is { } total && total <= FullListLimit && everyone.Value.Users.Count >= total)
        {
            var all = new UserPicker(everyone.Value.Users, IsFullList: true, Search: null);
            return new AddUserFormExtras { Manager = all, CopyGroupsFrom = all };
        }
        return new AddUserFormExtras
        {
            Manager = await SearchPickerAsync(tenant, form[AddUserForm.ManagerSearch], form[AddUserForm.Manager], ct),
            CopyGroupsFrom = await SearchPickerAsync(tenant, form[AddUserForm.CopyGroupsSearch], form[AddUserForm.CopyGroupsFrom], ct),
        };
    }

    private async Task<UserPicker?> SearchPickerAsync(CustomerTenant tenant, string? search, string? selected, CancellationToken ct)
    {
        var choices = new List<UserChoice>();
        if (search is not null)
        {
            var found = await users.ChoicesAsync(tenant.TenantId, search, SearchLimit, ct);
            if (found.Succeeded)
                choices.AddRange(found.Value!.Users);
        }
        // Keep the chosen user on the card across refreshes even when the search changed.
        if (selected is not null && !choices.Any(c => string.Equals(c.Id, selected, StringComparison.OrdinalIgnoreCase)))
        {
            var user = await users.GetAsync(tenant.TenantId, selected, ct);
            if (user.Succeeded)
                choices.Insert(0, new UserChoice(user.Value!.Id, user.Value.DisplayName, user.Value.UserPrincipalName));
        }
        return search is null && choices.Count == 0 ? null : new UserPicker(choices, IsFullList: false, search);
    }

    /// The tenant a card names, when the tech may add users there; otherwise answers the click and returns null.
    /// A refusal replaces the Add User card (refuseOnCard) or, for buttons on other cards, comes as a message so
    /// the list stays.
    private CustomerTenant? CardTenant(BotTurn turn, JsonElement data, bool refuseOnCard)
    {
        var tenant = Read(data, AddUserCards.TenantKey) is { } id ? tenants.Find(id) : null;
        if (tenant is null)
        {
            turn.RespondWithError(400, "This card does not name a tenant I manage.");
            return null;
        }
        if (Check(turn.Caller, tenant) is { } refusal)
        {
            if (refuseOnCard)
                turn.RespondWithCard(AddUserCards.Message("Add user: not done", refusal));
            else
                turn.RespondWithMessage("Add user: not done. " + refusal);
            return null;
        }
        return tenant;
    }

    /// "Find manager" / "Find user": the same card again with the matches, every typed value kept (the typed password
    /// is never echoed back).
    private async Task FindAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (CardTenant(turn, data, refuseOnCard: true) is not { } tenant)
            return;
        var (form, _) = AddUserForm.FromCard(data);
        var card = await FormAsync(turn, tenant, form, new Dictionary<string, string>(), [], ct);
        if (card is null)
        {
            turn.RespondWithMessage($"I could not read {tenant.DisplayName} just now. Try again in a minute.");
            return;
        }
        turn.RespondWithCard(card);
    }

    /// "Apply template": the same card with the chosen template's values filled in, everything else kept.
    private async Task ApplyTemplateAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (CardTenant(turn, data, refuseOnCard: true) is not { } tenant)
            return;
        var (form, _) = AddUserForm.FromCard(data);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var name = form[AddUserForm.Template];
        var template = name is null ? null : (await AddUserTemplates.ReadAsync(preferences, tenant.TenantId, ct)).FirstOrDefault(t => t.Name == name);
        if (template is null)
            errors[AddUserForm.Template] = name is null ? "Choose a template first." : $"There is no template “{name}” any more.";
        else
            form = template.ApplyTo(form);
        var card = await FormAsync(turn, tenant, form, errors, [], ct);
        if (card is null)
        {
            turn.RespondWithMessage($"I could not read {tenant.DisplayName} just now. Try again in a minute.");
            return;
        }
        turn.RespondWithCard(card);
    }

    // The manager and copy-groups-from values are object ids from the card (or UPNs from a prefill): each must be a user
    // of this tenant. Returns the form with object ids, and the names to show on the summary.
    private async Task<(AddUserForm Form, Dictionary<string, string> Shown)> ResolveUsersAsync(
        CustomerTenant tenant, AddUserForm form, Dictionary<string, string> errors, CancellationToken ct)
    {
        var shown = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, label) in new[] { (AddUserForm.Manager, "Manager"), (AddUserForm.CopyGroupsFrom, "Copy groups from") })
        {
            if (form[field] is not { } value)
                continue;
            var found = await users.GetAsync(tenant.TenantId, value, ct);
            if (found.Succeeded)
            {
                form = form.With((field, found.Value!.Id));
                shown[field] = AddUserCards.ChoiceTitle(new UserChoice(found.Value.Id, found.Value.DisplayName, found.Value.UserPrincipalName));
            }
            else
            {
                errors[field] = found.Failure.Kind == GraphFailureKind.NotFound
                    ? $"{label}: that user is not in {tenant.DisplayName}."
                    : $"{label}: {found.Failure.Message}";
            }
        }
        return (form, shown);
    }

    private async Task SubmitAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        if (CardTenant(turn, data, refuseOnCard: true) is not { } tenant)
            return;

        var (form, password) = AddUserForm.FromCard(data);
        var verified = await domains.ListVerifiedAsync(tenant.TenantId, ct);
        if (!verified.Succeeded)
        {
            turn.RespondWithCard(AddUserCards.Message("Add user: not done", verified.Failure.Message));
            return;
        }
        var errors = new Dictionary<string, string>(form.Validate([.. verified.Value!.Select(d => d.Name)], password), StringComparer.Ordinal);
        if (!errors.ContainsKey(AddUserForm.Username) && !errors.ContainsKey(AddUserForm.Domain))
        {
            var existing = await users.GetAsync(tenant.TenantId, form.UserPrincipalName, ct);
            if (existing.Succeeded)
                errors[AddUserForm.Username] = $"{form.UserPrincipalName} is already taken.";
        }
        foreach (var (field, error) in await sherweb.ValidateAsync(tenant, turn.Caller, form, ct))
            errors.TryAdd(field, error);
        var (scheduledAt, scheduleError) = AddUserSchedule.Parse(form[AddUserForm.ScheduleDate], form[AddUserForm.ScheduleTime], turn.TimeZone, time.GetUtcNow());
        if (scheduleError is not null)
            errors[AddUserForm.ScheduleDate] = scheduleError;
        else if (scheduledAt is not null && form.TypedPassword)
            errors[AddUserForm.PasswordMode] = "A scheduled user gets a generated password: a typed one would have to be stored until then.";
        var (resolved, shown) = await ResolveUsersAsync(tenant, form, errors, ct);
        if (errors.Count > 0)
        {
            turn.RespondWithCard(await FormAsync(turn, tenant, form, errors, [], ct) ?? AddUserCards.Message("Add user", string.Join(" ", errors.Values)));
            return;
        }

        form = resolved;
        var now = time.GetUtcNow();
        var op = new PendingOperation
        {
            Id = Guid.NewGuid(),
            RequesterAadObjectId = turn.Caller.AadObjectId,
            RequesterName = turn.Caller.Name,
            TenantId = tenant.TenantId,
            TenantName = tenant.DisplayName,
            ActionId = ActionId,
            Targets = [new OperationTarget(form.UserPrincipalName, form.EffectiveDisplayName, form.UserPrincipalName)],
            Parameters = Parameters(form, scheduledAt, turn.TimeZone),
            State = OperationState.AwaitingConfirmation,
            CreatedAt = now,
            ExpiresAt = now.AddHours(1),
            UpdatedAt = now,
            RequestConversation = turn.Conversation,
        };
        op = op with { CorrelationId = op.Id.ToString() };
        await operations.CreateAsync(op, ct);
        if (form.TypedPassword && password is not null)
            passwords.Put(op.Id, password);
        log.LogInformation("Add user {OperationId} requested by {Requester} in {TenantId}", op.Id, turn.Caller.AadObjectId, tenant.TenantId);
        turn.RespondWithCard(await sherweb.AddToConfirmationAsync(AddUserCards.Confirmation(op, form, shown), tenant, form, ct));
    }

    private static System.Text.Json.Nodes.JsonObject Parameters(AddUserForm form, DateTimeOffset? scheduledAt, string? zone)
    {
        var parameters = form.ToParameters();
        if (scheduledAt is { } at)
        {
            parameters[AddUserSchedule.ScheduledAtKey] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            parameters[AddUserSchedule.ZoneKey] = AddUserSchedule.ZoneName(zone);
        }
        return parameters;
    }

    private async Task ConfirmAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var op = await LoadOwnAsync(turn, data, ct);
        if (op is null)
            return;
        if (op.State != OperationState.AwaitingConfirmation)
        {
            turn.RespondWithCard(AddUserCards.Message("Add user", $"This request is already {op.State}."));
            return;
        }
        var tenant = tenants.Find(op.TenantId);
        var refusal = tenant is null ? "The tenant is no longer managed." : Check(turn.Caller, tenant);
        if (refusal is not null)
        {
            turn.RespondWithCard(AddUserCards.Message("Add user: not done", refusal));
            return;
        }

        var running = await operations.TryTransitionAsync(op.Id, OperationState.AwaitingConfirmation, op.Version,
            o => o with { State = OperationState.Running, RequestConversation = turn.Conversation, RequestCardActivityId = turn.ReplyToId ?? o.RequestCardActivityId }, ct);
        if (running is null)
        {
            turn.RespondWithCard(AddUserCards.Message("Add user", "This request was already confirmed or cancelled."));
            return;
        }
        await audit.DecisionAsync(running, turn.Caller.AadObjectId, turn.Caller.Name, "confirmed", null, ct);
        var upn = op.Targets[0].UserPrincipalName ?? op.Targets[0].Id;
        if (AddUserSchedule.At(running.Parameters) is { } at && at > time.GetUtcNow())
        {
            // Durable: the Hangfire job lives in the database and runs at its time even after a restart. Cancel moves the
            // operation out of Running first, and the job only starts by a compare-and-swap on the same version.
            jobs.Schedule<AddUserJob>(op.Id, at);
            log.LogInformation("Add user {OperationId} scheduled for {At}", op.Id, at);
            turn.RespondWithCard(AddUserCards.Scheduled(running, upn));
            return;
        }
        jobs.Enqueue<AddUserJob>(op.Id);
        turn.RespondWithCard(AddUserCards.Running(upn));
    }

    private async Task CancelAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var op = await LoadOwnAsync(turn, data, ct);
        if (op is null)
            return;
        var cancelled = await operations.TryTransitionAsync(op.Id, OperationState.AwaitingConfirmation, op.Version, o => o with { State = OperationState.Cancelled }, ct);
        passwords.Take(op.Id);
        turn.RespondWithCard(AddUserCards.Message("Add user", cancelled is null ? "This request can no longer be cancelled." : "Cancelled; nothing was created."));
    }

    /// Runs one failed follow-up step again for the user already created; never re-creates the user.
    private async Task RetryAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var op = await LoadOwnAsync(turn, data, ct);
        if (op is null)
            return;
        var stepName = Read(data, AddUserCards.StepKey);
        var created = op.Results.FirstOrDefault(r => r.TargetId == nameof(ProvisioningStepKind.Create) && r.Succeeded);
        var failed = op.Results.FirstOrDefault(r => r.TargetId == stepName && !r.Succeeded);
        if (op.State != OperationState.PartlySucceeded || created is null || failed is null
            || !Enum.TryParse<ProvisioningStepKind>(stepName, out var kind) || kind == ProvisioningStepKind.Create)
        {
            turn.RespondWithCard(AddUserCards.Result(op, op.Targets[0].Id));
            return;
        }

        var form = AddUserForm.FromParameters(op.Parameters);
        var userId = op.Parameters[AddUserJob.CreatedUserIdKey]?.ToString() ?? form.UserPrincipalName;
        var step = await provisioning.RunStepAsync(op.TenantId, userId, form.UserPrincipalName, kind, form.ToRequest(password: "unused-on-retry"), ct);
        var results = op.Results.Select(r => r.TargetId == stepName ? new TargetResult(r.TargetId, r.DisplayName, step.Succeeded, step.Message) : r).ToList();
        var state = results.All(r => r.Succeeded) ? OperationState.Succeeded : OperationState.PartlySucceeded;
        var updated = await operations.TryTransitionAsync(op.Id, OperationState.PartlySucceeded, op.Version, o => o with { State = state, Results = results }, ct);
        log.LogInformation("Add user {OperationId}: retried {Step}, {Outcome}", op.Id, kind, step.Succeeded ? "succeeded" : "failed");
        turn.RespondWithCard(AddUserCards.Result(updated ?? await operations.GetAsync(op.Id, ct) ?? op, form.UserPrincipalName));
    }

    private async Task<PendingOperation?> LoadOwnAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var op = Guid.TryParse(Read(data, AddUserCards.OperationKey), out var id) ? await operations.GetAsync(id, ct) : null;
        if (op is null || op.ActionId != ActionId)
        {
            turn.RespondWithError(404, "I can't find that request; it may have expired.");
            return null;
        }
        if (!string.Equals(op.RequesterAadObjectId, turn.Caller.AadObjectId, StringComparison.OrdinalIgnoreCase))
        {
            turn.RespondWithError(403, $"Only {op.RequesterName}, who asked for this, can do that.");
            return null;
        }
        return op;
    }

    // Add User is not a catalog action on existing users, so the policy is asked directly (role and tenant scope).
    private string? Check(Caller caller, CustomerTenant tenant)
    {
        var decision = policy.CanRequest(policy.For(caller.AadObjectId), Action, new TenantRef(tenant.TenantId, tenant.DefaultDomain, tenant.DisplayName), 1);
        return decision.Allowed ? null : decision.Reason;
    }

    private static string? Read(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// A typed password between the card submit and the create job, in memory only (never stored, logged or shown). Lost on
/// restart: the job then fails the create with a clear message rather than invent a password.
internal sealed class AddUserPasswords
{
    private readonly ConcurrentDictionary<Guid, string> byOperation = new();

    public void Put(Guid operationId, string password) => byOperation[operationId] = password;

    public string? Take(Guid operationId) => byOperation.TryRemove(operationId, out var password) ? password : null;
}
