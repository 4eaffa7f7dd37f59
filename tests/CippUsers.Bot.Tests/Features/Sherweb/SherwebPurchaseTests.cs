using System.Text.Json.Nodes;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Features.Sherweb;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using CippUsers.TenantEmulator.Sherweb;
using Microsoft.Extensions.DependencyInjection;

namespace CippUsers.Bot.Tests.Features.Sherweb;

/// The real bot with Add User and Sherweb purchase, against the emulator's Graph and Sherweb APIs over HTTPS. Contoso
/// Dental is mapped to its Sherweb customer, Fabrikam Logistics is not; Alex (admin) may buy, Sam (helpdesk) may not.
public sealed class SherwebBotFixture : EmulatorBotFixture
{
    public const string ExchangeSkuId = "4b9405b0-7788-4568-add1-99614e613b69"; // EXCHANGESTANDARD: Contoso Dental has none left

    private readonly string dataDirectory = Directory.CreateTempSubdirectory("cippusers-sherweb-").FullName;

    public EmulatedTenantInfo Contoso => Emulator.Tenants.Single(t => t.TenantId == SeededTenants.ContosoDentalId);

    protected override EmulatorSettings EmulatorSettings => new()
    {
        IncludeLargeTenant = false,
        Sherweb = { AmendmentProcessingDelay = TimeSpan.FromMilliseconds(300), SeatProvisioningDelay = TimeSpan.FromSeconds(3) },
    };

    protected override void Configure(BotHarnessOptions options)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:SqlitePath"] = Path.Combine(dataDirectory, "bot.db"),
            ["Jobs:QueuePollInterval"] = "00:00:00.200",
            ["Access:Principals:0:Id"] = TestUsers.Tech.AadObjectId,
            ["Access:Principals:0:Roles:0"] = "admin",
            ["Access:Principals:0:Tenants:0"] = "*",
            ["Access:Principals:1:Id"] = TestUsers.SecondTech.AadObjectId,
            ["Access:Principals:1:Roles:0"] = "helpdesk",
            ["Access:Principals:1:Tenants:0"] = "*",
            ["Sherweb:Enabled"] = "true",
            ["Sherweb:ClientId"] = Emulator.Sherweb.Settings.ClientId,
            ["Sherweb:ClientSecret"] = Emulator.Sherweb.Settings.ClientSecret,
            ["Sherweb:SubscriptionKey"] = Emulator.Sherweb.Settings.SubscriptionKey,
            ["Sherweb:TokenUrl"] = Emulator.SherwebTokenUri.ToString(),
            ["Sherweb:ApiBaseUrl"] = Emulator.SherwebApiUri.ToString(),
            ["Sherweb:TrustedCertificateThumbprint"] = Emulator.CertificateThumbprint,
            ["Sherweb:MaxRetries"] = "0",
            ["Sherweb:Customers:0:TenantId"] = SeededTenants.ContosoDentalId,
            ["Sherweb:Customers:0:CustomerId"] = SherwebCustomers.ContosoDentalCustomerId,
            ["Sherweb:AllowedRoles:0"] = "admin",
            ["Sherweb:AssignmentCheck:Interval"] = "00:00:00.200",
            ["Sherweb:AssignmentCheck:MaxInterval"] = "00:00:00.400",
            ["Sherweb:AssignmentCheck:MaxChecks"] = "20",
        };
        foreach (var (key, value) in settings)
        {
            options.Settings[key] = value;
        }
    }
}

public sealed class SherwebPurchaseTests(SherwebBotFixture fixture) : IClassFixture<SherwebBotFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PendingOperationStore Store => fixture.Bot.Services.GetRequiredService<PendingOperationStore>();

    [Fact]
    public async Task ZeroAvailableLicense_Purchase_RaisesTheQuantityByOne_ThenAssignsTheLicenseWhenTheSeatArrives()
    {
        var tenant = fixture.Contoso;
        var subscription = ExchangeSubscription();
        var channel = TestConversation.HelpdeskChannel;
        var alias = "sw" + Guid.NewGuid().ToString("N")[..8];
        var upn = $"{alias}@{tenant.DefaultDomain}";

        var form = FormIn(await fixture.Bot.SendAsync($"add user {tenant.DefaultDomain}", TestUsers.Tech, channel));
        Assert.NotNull(Input(form.Card, SherwebPurchase.PurchaseKey));
        Assert.Contains(SherwebCards.Warning, form.CardText, StringComparison.Ordinal);
        Assert.Contains("Exchange Online (Plan 1) (CFQ7TTC0LH16:0001)", form.CardText, StringComparison.Ordinal);

        // The toggle without a subscription is refused on the card, by field.
        var missing = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb, Submit(alias, (SherwebPurchase.PurchaseKey, "true")), TestUsers.Tech, channel, form.ActivityId);
        Assert.Contains("Choose the Sherweb subscription", missing.CardText, StringComparison.Ordinal);

        var confirm = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb,
            Submit(alias, (SherwebPurchase.PurchaseKey, "true"), (SherwebPurchase.SubscriptionKey, subscription.Id)), TestUsers.Tech, channel, form.ActivityId);
        Assert.Contains("This buys a licence", confirm.CardText, StringComparison.Ordinal);
        Assert.Contains("This costs money", confirm.CardText, StringComparison.Ordinal);
        var operationId = OperationIdOf(confirm);
        Assert.DoesNotContain(fixture.Emulator.Sherweb.Amendments, a => a.SubscriptionId == subscription.Id);

        await fixture.Bot.InvokeAsync(AddUserCards.ConfirmVerb, new JsonObject { ["operationId"] = operationId.ToString() }, TestUsers.Tech, channel, form.ActivityId);

        // The user is created at once; the result card says the licence waits for the bought seat.
        await WaitUntilAsync(() => fixture.Bot.Connector.Calls.Any(c => c.Kind == "update" && c.TargetActivityId == form.ActivityId
            && c.CardText.Contains($"✓ Create: Created {upn}", StringComparison.Ordinal)
            && c.CardText.Contains("✗ Licenses: Waiting for the purchased seat", StringComparison.Ordinal)
            && c.CardText.Contains($"✓ Sherweb purchase: Raised Exchange Online (Plan 1) (CFQ7TTC0LH16:0001) from {subscription.Quantity} to {subscription.Quantity + 1} seats", StringComparison.Ordinal)));
        var amendment = Assert.Single(fixture.Emulator.Sherweb.Amendments, a => a.SubscriptionId == subscription.Id);
        Assert.Equal(subscription.Quantity + 1, amendment.NewQuantity);
        Assert.Contains(fixture.Emulator.Journal.Entries, e => e is { Method: "POST", Status: 200 } && e.Path.EndsWith("/billing/subscriptions/amendments", StringComparison.Ordinal) && e.TenantId == tenant.TenantId);

        // After the emulated delay the seat shows in subscribedSkus, the job assigns it and says so in the conversation.
        var purchase = await WaitForAsync(SherwebPurchase.PurchaseOperationId(operationId), o => o.IsTerminal);
        Assert.Equal(OperationState.Succeeded, purchase.State);
        var check = int.Parse(purchase.Results[^1].Message.Split("(check ")[1].TrimEnd(')', '.'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(check >= 2, $"The seat should have been waited for, but was assigned at check {check}.");
        var user = fixture.Emulator.State.Tenant(tenant.TenantId).FindUser(upn)!;
        Assert.Contains(user["assignedLicenses"]!.AsArray(), l => (string?)l!["skuId"] == SherwebBotFixture.ExchangeSkuId);
        var after = await WaitForAsync(operationId, o => o.State == OperationState.Succeeded);
        Assert.Contains(after.Results, r => r.TargetId == "Licenses" && r.Succeeded);
        await WaitUntilAsync(() => fixture.Bot.Connector.Calls.Any(c => c.ConversationId == channel.Id && c.CardText.Contains($"License assigned to {upn}", StringComparison.Ordinal)));
        await WaitUntilAsync(() => fixture.Bot.Connector.Calls.Any(c => c.Kind == "update" && c.TargetActivityId == form.ActivityId && c.CardText.Contains("✓ Licenses", StringComparison.Ordinal)));

        var audit = await fixture.Bot.Services.GetRequiredService<AuditLog>().QueryAsync(tenant.TenantId, null, 200, Ct);
        Assert.Contains(audit, e => e.Action == SherwebPurchase.ActionId && e.TargetId == "purchase" && e.Outcome == "succeeded" && e.OperationId == purchase.Id);
        Assert.Contains(audit, e => e.Action == SherwebPurchase.ActionId && e.TargetId == "assignment" && e.Outcome == "succeeded" && e.OperationId == purchase.Id);
    }

    [Fact]
    public async Task SherwebError_IsSaidPlainly_TheUserIsStillCreated_AndTheLicenseStepFailsWithTheReason()
    {
        var tenant = fixture.Contoso;
        var subscription = ExchangeSubscription();
        var alias = "swe" + Guid.NewGuid().ToString("N")[..8];
        fixture.Emulator.Sherweb.FailNextAmendments(500, "InternalServerError", "Internal Server Error", "An unexpected error occurred.");

        var operationId = await ConfirmAsync(alias, subscription.Id);

        var op = await WaitForAsync(operationId, o => o.IsTerminal);
        Assert.Equal(OperationState.PartlySucceeded, op.State);
        Assert.NotNull(fixture.Emulator.State.Tenant(tenant.TenantId).FindUser($"{alias}@{tenant.DefaultDomain}"));
        var licenses = Assert.Single(op.Results, r => r.TargetId == "Licenses");
        Assert.False(licenses.Succeeded);
        Assert.Contains("The Sherweb purchase failed: Sherweb answered with an internal error. This usually means the customer is not provisioned for Microsoft 365", licenses.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(op.Results, r => r.TargetId == "Sherweb");
        Assert.DoesNotContain(fixture.Emulator.Sherweb.Amendments, a => a.SubscriptionId == subscription.Id && a.AcceptedAt > op.CreatedAt);
        var purchase = await Store.GetAsync(SherwebPurchase.PurchaseOperationId(operationId), Ct);
        Assert.Equal(OperationState.Failed, purchase!.State);
        var audit = await fixture.Bot.Services.GetRequiredService<AuditLog>().QueryAsync(tenant.TenantId, null, 200, Ct);
        Assert.Contains(audit, e => e.OperationId == purchase.Id && e.TargetId == "purchase" && e.Outcome == "failed");
    }

    [Fact]
    public async Task ASeatThatNeverArrives_IsReportedAfterTheLastCheck()
    {
        var backup = fixture.Emulator.Sherweb.Subscriptions(SherwebCustomers.ContosoDentalCustomerId).Single(s => s.SkuPartNumber is null);
        var alias = "swn" + Guid.NewGuid().ToString("N")[..8];

        var operationId = await ConfirmAsync(alias, backup.Id);

        var purchase = await WaitForAsync(SherwebPurchase.PurchaseOperationId(operationId), o => o.IsTerminal, TimeSpan.FromSeconds(60));
        Assert.Equal(OperationState.Failed, purchase.State);
        Assert.Equal(20, purchase.Parameters[SherwebPurchase.ChecksKey]!.GetValue<int>() + 1);
        Assert.Contains("did not show up in the tenant", purchase.Results[^1].Message, StringComparison.Ordinal);
        var op = await Store.GetAsync(operationId, Ct);
        Assert.Contains(op!.Results, r => r.TargetId == "Licenses" && !r.Succeeded && r.Message.Contains("did not show up", StringComparison.Ordinal));
        await WaitUntilAsync(() => fixture.Bot.Connector.Calls.Any(c => c.CardText.Contains($"License not assigned to {alias}@", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TenantWithoutSherwebMapping_ShowsNoPurchaseOption()
    {
        var fabrikam = fixture.Emulator.Tenants.Single(t => t.TenantId == SeededTenants.FabrikamLogisticsId);
        Assert.Contains(fixture.Emulator.State.Tenant(fabrikam.TenantId).SubscribedSkus(), s => (int)s["consumedUnits"]! == (int)s["prepaidUnits"]!["enabled"]!);

        var form = FormIn(await fixture.Bot.SendAsync($"add user {fabrikam.DefaultDomain}", TestUsers.Tech));

        Assert.NotNull(Input(form.Card, AddUserForm.Licenses));
        Assert.Null(Input(form.Card, SherwebPurchase.PurchaseKey));
        Assert.DoesNotContain("Sherweb", form.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoleGate_HidesTheOption_AndRefusesAForgedPurchase()
    {
        var tenant = fixture.Contoso;
        var form = FormIn(await fixture.Bot.SendAsync($"add user {tenant.DefaultDomain}", TestUsers.SecondTech));
        Assert.Null(Input(form.Card, SherwebPurchase.PurchaseKey));

        var alias = "swr" + Guid.NewGuid().ToString("N")[..8];
        var forged = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb,
            Submit(alias, (SherwebPurchase.PurchaseKey, "true"), (SherwebPurchase.SubscriptionKey, ExchangeSubscription().Id)), TestUsers.SecondTech, replyToId: form.ActivityId);

        Assert.Contains("Buying licences through Sherweb needs the admin role; you are helpdesk.", forged.CardText, StringComparison.Ordinal);
        Assert.DoesNotContain(forged.Card["actions"]!.AsArray(), a => a!["verb"]?.GetValue<string>() == AddUserCards.ConfirmVerb);
    }

    [Fact]
    public async Task Purchase_WithoutASoldOutLicenseChosen_IsRefused_AndAnUnknownSubscriptionToo()
    {
        var alias = "swv" + Guid.NewGuid().ToString("N")[..8];
        var noLicense = Submit(alias, (SherwebPurchase.PurchaseKey, "true"), (SherwebPurchase.SubscriptionKey, Guid.NewGuid().ToString()));
        noLicense.Remove(AddUserForm.Licenses);

        var refused = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb, noLicense, TestUsers.Tech);

        Assert.Contains("None of the chosen licenses has 0 available", refused.CardText, StringComparison.Ordinal);
        Assert.Contains("not one of Contoso Dental's Sherweb subscriptions", refused.CardText, StringComparison.Ordinal);
    }

    // Jobs of earlier tests may post while a command is handled; the Add User form is the reply that matters.
    private static ConnectorCall FormIn(IReadOnlyList<ConnectorCall> replies) =>
        Assert.Single(replies, r => r.Kind != "update" && r.Cards.Count == 1 && r.CardText.StartsWith("Add user to ", StringComparison.Ordinal));

    private SherwebSubscription ExchangeSubscription() =>
        fixture.Emulator.Sherweb.Subscriptions(SherwebCustomers.ContosoDentalCustomerId).Single(s => s.SkuPartNumber == "EXCHANGESTANDARD");

    private async Task<Guid> ConfirmAsync(string alias, string subscriptionId)
    {
        var confirm = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb,
            Submit(alias, (SherwebPurchase.PurchaseKey, "true"), (SherwebPurchase.SubscriptionKey, subscriptionId)), TestUsers.Tech);
        var operationId = OperationIdOf(confirm);
        var running = await fixture.Bot.InvokeAsync(AddUserCards.ConfirmVerb, new JsonObject { ["operationId"] = operationId.ToString() }, TestUsers.Tech);
        Assert.True(running.IsCard, running.ToString());
        return operationId;
    }

    private static Guid OperationIdOf(InvokeResult confirm) =>
        Guid.Parse(confirm.Card["actions"]!.AsArray().First(a => a!["verb"]?.GetValue<string>() == AddUserCards.ConfirmVerb)!["data"]!["operationId"]!.GetValue<string>());

    private JsonObject Submit(string alias, params (string Key, string Value)[] extra)
    {
        var data = new JsonObject
        {
            ["tenantId"] = fixture.Contoso.TenantId,
            ["givenName"] = "Sherry",
            ["surname"] = "Webb",
            ["username"] = alias,
            ["domain"] = fixture.Contoso.DefaultDomain,
            ["usageLocation"] = "US",
            ["licenses"] = SherwebBotFixture.ExchangeSkuId,
            ["passwordMode"] = "generated",
        };
        foreach (var (k, v) in extra)
        {
            data[k] = v;
        }

        return data;
    }

    private static JsonObject? Input(JsonObject card, string id)
    {
        return Walk(card["body"]);

        JsonObject? Walk(JsonNode? node) => node switch
        {
            JsonObject o when o["id"]?.GetValue<string>() == id => o,
            JsonObject o => Walk(o["items"]),
            JsonArray a => a.Select(Walk).FirstOrDefault(x => x is not null),
            _ => null,
        };
    }

    private async Task<PendingOperation> WaitForAsync(Guid id, Func<PendingOperation, bool> condition, TimeSpan? timeout = null)
    {
        PendingOperation? op = null;
        await WaitUntilAsync(() => (op = Store.GetAsync(id, Ct).GetAwaiter().GetResult()) is not null && condition(op), timeout);
        return op!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "Timed out waiting.");
            await Task.Delay(100, Ct);
        }
    }
}
