using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Access;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Teams;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Guests;

/// `invite guest [tenant]`: display name, e-mail address, redirect URL, send-e-mail toggle and message on one card; the
/// guest then goes through the import pipeline as a one-row bulk invite (same checks, confirmation, durable job, result
/// card with the guest's id and redeem URL).
internal sealed class InviteGuestFeature(CustomerTenants tenants, GuestImportKind kind, ImportFeature imports, AccessPolicy policy) : IFeature
{
    public const string SubmitVerb = "guest.submit";
    public const string TenantKey = "tenantId";

    public void Map(BotRoutes routes)
    {
        routes.Command("invite guest", "Invite an external person as a guest user", "invite guest contoso", StartAsync, "add guest");
        routes.Verb(SubmitVerb, SubmitAsync);
    }

    private async Task StartAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        var text = arguments.Trim();
        var tenant = text.Length == 0 ? (tenants.All.Count == 1 ? tenants.All[0] : null) : tenants.Find(text);
        if (tenant is null)
        {
            await turn.SendTextAsync(text.Length == 0 ? "Which tenant? For example: `invite guest contoso`." : $"I don't know the tenant “{text}”. `tenants` lists the ones I manage.", ct);
            return;
        }
        if (Check(turn.Caller, tenant) is { } refusal)
        {
            await turn.SendCardAsync(ImportCards.Message("Invite guest: not done", refusal), ct);
            return;
        }
        await turn.SendCardAsync(Form(tenant, new JsonObject(), null), ct);
    }

    private async Task SubmitAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var tenant = ImportFeature.Read(data, TenantKey) is { } id ? tenants.Find(id) : null;
        if (tenant is null)
        {
            turn.RespondWithError(400, "This card does not name a tenant I manage.");
            return;
        }
        if (Check(turn.Caller, tenant) is { } refusal)
        {
            turn.RespondWithCard(ImportCards.Message("Invite guest: not done", refusal));
            return;
        }
        var (options, error) = kind.ReadOptions(data);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in new[] { ImportColumns.DisplayName, ImportColumns.Mail })
        {
            if (ImportFeature.Read(data, field)?.Trim() is { Length: > 0 } value)
                values[field] = value;
        }
        if (error is null && !values.ContainsKey(ImportColumns.Mail))
            error = "The guest's e-mail address is required.";
        if (error is not null)
        {
            var echo = options.DeepClone().AsObject();
            foreach (var (k, v) in values)
                echo[k] = v;
            turn.RespondWithCard(Form(tenant, echo, error));
            return;
        }
        await imports.StartSingleAsync(kind, turn, tenant, options, new ImportRow(1, values), ct);
    }

    internal static AdaptiveCard Form(CustomerTenant tenant, JsonObject values, string? error)
    {
        var card = new AdaptiveCard { FallbackText = $"Invite a guest to {tenant.DisplayName}" };
        card.Add(new TextBlock($"Invite a guest to {tenant.DisplayName}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        if (error is not null)
            card.Add(new TextBlock(error) { Color = TextColor.Attention });
        card.Add(new TextInput(ImportColumns.DisplayName) { Label = "Display name", MaxLength = 256, Value = values[ImportColumns.DisplayName]?.ToString() });
        card.Add(new TextInput(ImportColumns.Mail) { Label = "E-mail address", IsRequired = true, ErrorMessage = "The e-mail address is required.", MaxLength = 256, Value = values[ImportColumns.Mail]?.ToString() });
        card.Add(GuestImportKind.Inputs(values));
        card.AddAction(new ExecuteAction("Review and invite", SubmitVerb, new JsonObject { [TenantKey] = tenant.TenantId }) { Style = ActionStyle.Positive });
        return card;
    }

    private string? Check(Caller caller, CustomerTenant tenant)
    {
        var decision = policy.CanRequest(policy.For(caller.AadObjectId), GuestImportKind.Descriptor, new TenantRef(tenant.TenantId, tenant.DefaultDomain, tenant.DisplayName), 1);
        return decision.Allowed ? null : decision.Reason;
    }
}
