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

    /// Every bot setting of this fixture, so that a test can start a second bot instance on the same database.
    public Dictionary<string, string?> BotSettings { get; } = [];

    protected override void Configure(BotHarnessOptions options)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:WorkerCount"] = "5",
            ["Sherweb:AnswerReconcileWait"] = "00:00:02",
            ["Sherweb:PurchaseLockTimeout"] = "00:00:30",
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
            BotSettings[key] = value;
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
        var started = fixture.Emulator.Sherweb.Amendments.Count;

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
        Assert.DoesNotContain(fixture.Emulator.Sherweb.Amendments.Skip(started), a => a.SubscriptionId == subscription.Id);

        await fixture.Bot.InvokeAsync(AddUserCards.ConfirmVerb, new JsonObject { ["operationId"] = operationId.ToString() }, TestUsers.Tech, channel, form.ActivityId);

        // The user is created at once; the result card says the licence waits for the bought seat.
        await WaitUntilAsync(() => fixture.Bot.Connector.Calls.Any(c => c.Kind == "update" && c.TargetActivityId == form.ActivityId
            && c.CardText.Contains($"✓ Create: Created {upn}", StringComparison.Ordinal)
            && c.CardText.Contains("✗ Licenses: Waiting for the purchased seat", StringComparison.Ordinal)
            && c.CardText.Contains($"✓ Sherweb purchase: Raised Exchange Online (Plan 1) (CFQ7TTC0LH16:0001) from {subscription.Quantity} to {subscription.Quantity + 1} seats", StringComparison.Ordinal)));
        var amendment = Assert.Single(fixture.Emulator.Sherweb.Amendments.Skip(started), a => a.SubscriptionId == subscription.Id);
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
    public async Task SherwebRefusal_IsSaidPlainly_TheUserIsStillCreated_AndTheLicenseStepFailsWithTheReason()
    {
        var tenant = fixture.Contoso;
        var subscription = ExchangeSubscription();
        var alias = "swe" + Guid.NewGuid().ToString("N")[..8];
        fixture.Emulator.Sherweb.FailNextAmendments(400, "ProductQuantityCannotBeChanged", "Product quantity cannot be changed", "The quantity of this product cannot be changed.");

        var operationId = await ConfirmAsync(alias, subscription.Id);

        var op = await WaitForAsync(operationId, o => o.IsTerminal);
        Assert.Equal(OperationState.PartlySucceeded, op.State);
        Assert.NotNull(fixture.Emulator.State.Tenant(tenant.TenantId).FindUser($"{alias}@{tenant.DefaultDomain}"));
        var licenses = Assert.Single(op.Results, r => r.TargetId == "Licenses");
        Assert.False(licenses.Succeeded);
        Assert.Contains("The Sherweb purchase failed, nothing was bought: Sherweb does not allow changing the quantity of this subscription", licenses.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(op.Results, r => r.TargetId == "Sherweb");
        Assert.DoesNotContain(fixture.Emulator.Sherweb.Amendments, a => a.SubscriptionId == subscription.Id && a.AcceptedAt > op.CreatedAt);
        var purchase = await Store.GetAsync(SherwebPurchase.PurchaseOperationId(operationId), Ct);
        Assert.Equal(OperationState.Failed, purchase!.State);
        var audit = await fixture.Bot.Services.GetRequiredService<AuditLog>().QueryAsync(tenant.TenantId, null, 200, Ct);
        Assert.Contains(audit, e => e.OperationId == purchase.Id && e.TargetId == "purchase" && e.Outcome == "failed");
    }

    [Fact]
    public async Task ConcurrentPurchases_FromTwoBotInstancesOnOneDatabase_RaiseTheQuantityByExactlyN_AndLicenseEveryUser()
    {
        const int N = 5;
        var tenant = fixture.Contoso;
        var subscription = ExchangeSubscription();
        var before = LatestAskedQuantity(subscription.Id);
        var started = fixture.Emulator.Sherweb.Amendments.Count;
        await using var second = await BotHarness.StartAsync(o =>
        {
            o.UseEmulatorHost(fixture.Emulator);
            foreach (var (key, value) in fixture.BotSettings)
            {
                o.Settings[key] = value;
            }
        });
        var bots = new[] { fixture.Bot, second };
        var aliases = Enumerable.Range(0, N).Select(i => $"swc{i}" + Guid.NewGuid().ToString("N")[..6]).ToList();

        // Every tech fills the card at once, then every one confirms at once, through both instances' HTTP endpoints.
        var confirms = await Task.WhenAll(aliases.Select((alias, i) => bots[i % 2].InvokeAsync(AddUserCards.SubmitVerb,
            Submit(alias, (SherwebPurchase.PurchaseKey, "true"), (SherwebPurchase.SubscriptionKey, subscription.Id)), TestUsers.Tech)));
        var operationIds = confirms.Select(OperationIdOf).ToList();
        var running = await Task.WhenAll(operationIds.Select((id, i) => bots[i % 2].InvokeAsync(AddUserCards.ConfirmVerb, new JsonObject { ["operationId"] = id.ToString() }, TestUsers.Tech)));
        Assert.All(running, r => Assert.True(r.IsCard, r.ToString()));

        var purchases = new List<PendingOperation>();
        foreach (var id in operationIds)
        {
            var addUser = await WaitForAsync(id, o => o.IsTerminal, TimeSpan.FromSeconds(90));
            TestContext.Current.SendDiagnosticMessage($"add user {id}: {addUser.State}: {string.Join(" | ", addUser.Results.Select(r => r.Message))}");
            purchases.Add(await WaitForAsync(SherwebPurchase.PurchaseOperationId(id), o => o.IsTerminal, TimeSpan.FromSeconds(90)));
        }

        // Exactly N seats: N amendments, each one seat above the one before (none repeats a quantity another asked for).
        var amendments = fixture.Emulator.Sherweb.Amendments.Skip(started).Where(a => a.SubscriptionId == subscription.Id).ToList();
        Assert.Equal(Enumerable.Range(before + 1, N), amendments.Select(a => a.NewQuantity));
        await WaitUntilAsync(() => ExchangeSubscription().Quantity == before + N);
        Assert.All(purchases, p => Assert.Equal(OperationState.Succeeded, p.State));
        foreach (var alias in aliases)
        {
            var user = fixture.Emulator.State.Tenant(tenant.TenantId).FindUser($"{alias}@{tenant.DefaultDomain}")!;
            Assert.Contains(user["assignedLicenses"]!.AsArray(), l => (string?)l!["skuId"] == SherwebBotFixture.ExchangeSkuId);
        }

        var audit = await fixture.Bot.Services.GetRequiredService<AuditLog>().QueryAsync(tenant.TenantId, null, 1000, Ct);
        Assert.All(purchases, p => Assert.Equal("succeeded", Assert.Single(audit, e => e.OperationId == p.Id && e.TargetId == "purchase").Outcome));
    }

    [Fact]
    public async Task ALostAnswerAfterCommit_IsReconciled_OneSeatIsBought_TheTechIsToldItWent_AndTheLicenseIsAssigned()
    {
        var tenant = fixture.Contoso;
        var subscription = ExchangeSubscription();
        var before = LatestAskedQuantity(subscription.Id);
        var started = fixture.Emulator.Sherweb.Amendments.Count;
        var alias = "swl" + Guid.NewGuid().ToString("N")[..8];
        fixture.Emulator.Sherweb.LoseNextAmendmentAnswers(); // Sherweb commits, then the connection drops

        var operationId = await ConfirmAsync(alias, subscription.Id);

        var op = await WaitForAsync(operationId, o => o.IsTerminal);
        var step = Assert.Single(op.Results, r => r.TargetId == SherwebPurchase.PurchaseStep);
        Assert.True(step.Succeeded, step.Message);
        Assert.Contains($"from {before} to {before + 1} seats", step.Message, StringComparison.Ordinal);
        Assert.Contains("Sherweb's answer was lost, but re-reading the subscription shows", step.Message, StringComparison.Ordinal);
        Assert.Contains("it was not sent again", step.Message, StringComparison.Ordinal);
        await WaitUntilAsync(() => fixture.Bot.Connector.Calls.Any(c => c.Kind == "update" && c.CardText.Contains("✓ Sherweb purchase: Raised", StringComparison.Ordinal)
            && c.CardText.Contains("Sherweb's answer was lost, but re-reading", StringComparison.Ordinal)));

        var purchase = await WaitForAsync(SherwebPurchase.PurchaseOperationId(operationId), o => o.IsTerminal);
        Assert.Equal(OperationState.Succeeded, purchase.State);
        var amendment = Assert.Single(fixture.Emulator.Sherweb.Amendments.Skip(started));
        Assert.Equal((subscription.Id, before + 1), (amendment.SubscriptionId, amendment.NewQuantity));
        Assert.Equal(before + 1, ExchangeSubscription().Quantity);
        var user = fixture.Emulator.State.Tenant(tenant.TenantId).FindUser($"{alias}@{tenant.DefaultDomain}")!;
        Assert.Contains(user["assignedLicenses"]!.AsArray(), l => (string?)l!["skuId"] == SherwebBotFixture.ExchangeSkuId);
        var audit = await fixture.Bot.Services.GetRequiredService<AuditLog>().QueryAsync(tenant.TenantId, null, 200, Ct);
        Assert.Equal("succeeded", Assert.Single(audit, e => e.OperationId == purchase.Id && e.TargetId == "purchase").Outcome);
    }

    [Fact]
    public async Task ARerunAfterTheBotStoppedMidPurchase_NeverSendsAgain_ReportsUnknown_ThenReconciles_AndAssignsTheLicense()
    {
        var tenant = fixture.Contoso;
        var subscription = ExchangeSubscription();
        var before = LatestAskedQuantity(subscription.Id);
        var alias = "swr" + Guid.NewGuid().ToString("N")[..8];
        // A real Add User whose licence could not be assigned (no seat, no purchase asked for)...
        var confirm = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb, Submit(alias), TestUsers.Tech);
        var operationId = OperationIdOf(confirm);
        await fixture.Bot.InvokeAsync(AddUserCards.ConfirmVerb, new JsonObject { ["operationId"] = operationId.ToString() }, TestUsers.Tech);
        var addUser = await WaitForAsync(operationId, o => o.IsTerminal);
        var userId = fixture.Emulator.State.Tenant(tenant.TenantId).FindUser($"{alias}@{tenant.DefaultDomain}")!["id"]!.GetValue<string>();
        Assert.Contains(addUser.Results, r => r.TargetId == SherwebPurchase.LicensesStep && !r.Succeeded);

        // ...and a purchase run that chose before + 1, sent it (Sherweb accepted) and stopped before it saw the answer.
        var started = fixture.Emulator.Sherweb.Amendments.Count;
        var client = fixture.Get<CippUsers.Graph.Sherweb.SherwebClient>();
        var read = await client.GetSubscriptionAsync(tenant.TenantId, subscription.Id, Ct);
        Assert.Equal(CippUsers.Graph.Sherweb.SherwebWriteOutcome.Accepted, (await client.SetQuantityAsync(tenant.TenantId, read.Value!, before + 1, Ct)).Outcome);
        var purchaseId = SherwebPurchase.PurchaseOperationId(operationId);
        await Store.CreateAsync(new PendingOperation
        {
            Id = purchaseId,
            RequesterAadObjectId = addUser.RequesterAadObjectId,
            RequesterName = addUser.RequesterName,
            TenantId = tenant.TenantId,
            TenantName = addUser.TenantName,
            ActionId = SherwebPurchase.ActionId,
            Targets = addUser.Targets,
            Parameters = new JsonObject
            {
                [SherwebPurchase.ParentKey] = operationId.ToString(),
                [SherwebPurchase.UserIdKey] = userId,
                [SherwebPurchase.LicensesKey] = new JsonArray(SherwebBotFixture.ExchangeSkuId),
                [SherwebPurchase.SubscriptionIdKey] = subscription.Id,
                [SherwebPurchase.ChecksKey] = 0,
                [SherwebPurchase.SubscriptionLabelKey] = read.Value!.Label,
                [SherwebPurchase.QuantityKey] = before + 1,
                [SherwebPurchase.ConfirmedKey] = false,
            },
            State = OperationState.Running,
            CreatedAt = addUser.CreatedAt,
            ExpiresAt = addUser.CreatedAt.AddDays(2),
            RequestConversation = addUser.RequestConversation,
        }, Ct);
        var withPurchase = addUser with { Parameters = addUser.Parameters.DeepClone().AsObject() };
        withPurchase.Parameters[SherwebPurchase.PurchaseKey] = "true";
        withPurchase.Parameters[SherwebPurchase.SubscriptionKey] = subscription.Id;

        var results = await fixture.Get<SherwebPurchase>().AfterProvisioningAsync(withPurchase, userId, addUser.Results, Ct);

        var step = Assert.Single(results, r => r.TargetId == SherwebPurchase.PurchaseStep);
        Assert.False(step.Succeeded);
        Assert.StartsWith($"Unknown whether a seat was bought: the bot stopped while raising {read.Value.Label} to {before + 1} seats", step.Message, StringComparison.Ordinal);
        var purchase = await WaitForAsync(purchaseId, o => o.IsTerminal);
        Assert.Equal(OperationState.Succeeded, purchase.State);
        Assert.Contains(purchase.Results, r => r.TargetId == "reconciliation" && r.Succeeded && r.Message.Contains("the purchase went through", StringComparison.Ordinal));
        Assert.Single(fixture.Emulator.Sherweb.Amendments.Skip(started)); // only the one the stopped run sent
        var user = fixture.Emulator.State.Tenant(tenant.TenantId).FindUser($"{alias}@{tenant.DefaultDomain}")!;
        Assert.Contains(user["assignedLicenses"]!.AsArray(), l => (string?)l!["skuId"] == SherwebBotFixture.ExchangeSkuId);
        var audit = await fixture.Bot.Services.GetRequiredService<AuditLog>().QueryAsync(tenant.TenantId, null, 200, Ct);
        Assert.Equal("unknown", Assert.Single(audit, e => e.OperationId == purchaseId && e.TargetId == "purchase").Outcome);
        Assert.Equal("succeeded", Assert.Single(audit, e => e.OperationId == purchaseId && e.TargetId == "reconciliation").Outcome);
    }

    [Fact]
    public async Task AnAnswerLostWithoutTrace_IsReportedAsUnknown_NeverRetried_AndNeverAsAFailure()
    {
        var tenant = fixture.Contoso;
        // A subscription that adds no seat to the tenant, so nothing can show up while the job checks.
        var backup = fixture.Emulator.Sherweb.Subscriptions(SherwebCustomers.ContosoDentalCustomerId).Single(s => s.SkuPartNumber is null);
        var started = fixture.Emulator.Sherweb.Amendments.Count;
        var alias = "swu" + Guid.NewGuid().ToString("N")[..8];
        // A 500 may come after Sherweb acted on the request; here it did not, and only re-reading can tell.
        fixture.Emulator.Sherweb.FailNextAmendments(500, "InternalServerError", "Internal Server Error", "An unexpected error occurred.");

        var operationId = await ConfirmAsync(alias, backup.Id);

        var op = await WaitForAsync(operationId, o => o.IsTerminal);
        var step = Assert.Single(op.Results, r => r.TargetId == SherwebPurchase.PurchaseStep);
        Assert.False(step.Succeeded);
        Assert.StartsWith("Unknown whether a seat was bought: Sherweb answered the quantity change with an error", step.Message, StringComparison.Ordinal);
        Assert.Contains($"Check Sherweb subscription {backup.Id} before buying by hand", step.Message, StringComparison.Ordinal);
        Assert.Contains("was not sent again", step.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("purchase failed", string.Join(' ', op.Results.Select(r => r.Message)), StringComparison.Ordinal);
        var audit = await fixture.Bot.Services.GetRequiredService<AuditLog>().QueryAsync(tenant.TenantId, null, 200, Ct);
        var purchaseId = SherwebPurchase.PurchaseOperationId(operationId);
        Assert.Equal("unknown", Assert.Single(audit, e => e.OperationId == purchaseId && e.TargetId == "purchase").Outcome);

        var purchase = await WaitForAsync(purchaseId, o => o.IsTerminal, TimeSpan.FromSeconds(60));
        Assert.Equal(OperationState.Failed, purchase.State);
        Assert.StartsWith("Still unknown whether a seat was bought", purchase.Results[^1].Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Emulator.Sherweb.Amendments.Skip(started));
        Assert.Single(fixture.Emulator.Journal.Entries, e => e.Method == "POST" && e.Path.EndsWith("/amendments", StringComparison.Ordinal) && e.Status == 500);
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

    /// The quantity the subscription is at once every amendment accepted so far is processed.
    private int LatestAskedQuantity(string subscriptionId) =>
        fixture.Emulator.Sherweb.Amendments.LastOrDefault(a => a.SubscriptionId == subscriptionId)?.NewQuantity
        ?? fixture.Emulator.Sherweb.Subscriptions(SherwebCustomers.ContosoDentalCustomerId).Single(s => s.Id == subscriptionId).Quantity;

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
        await WaitUntilAsync(() => (op = Store.GetAsync(id, Ct).GetAwaiter().GetResult()) is not null && condition(op), timeout,
            () => op is null ? $"operation {id} does not exist" : $"operation {id} is {op.State}: {string.Join(" | ", op.Results.Select(r => $"{r.TargetId} {r.Succeeded} {r.Message}"))}");
        return op!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, Func<string>? describe = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "Timed out waiting" + (describe is null ? "." : $": {describe()}"));
            await Task.Delay(100, Ct);
        }
    }
}
