using CippUsers.Graph.Sherweb;
using CippUsers.TenantEmulator;
using CippUsers.TenantEmulator.Sherweb;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CippUsers.Graph.Tests.Sherweb;

/// <summary>The Sherweb client wired as the bot wires it (AddCippSherweb over configuration), against the emulator over HTTPS.</summary>
public sealed class SherwebClientTests : IAsyncLifetime
{
    private const string Contoso = SeededTenants.ContosoDentalId;
    private EmulatorHost emulator = null!;
    private readonly FakeTimeProvider time = new(TimeProvider.System.GetUtcNow());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        emulator = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false, TimeProvider = time, Sherweb = { SeatProvisioningDelay = TimeSpan.Zero } }, Ct);

    public async ValueTask DisposeAsync() => await emulator.DisposeAsync();

    [Fact]
    public async Task ListsTheCustomersSubscriptions_AndCachesTheTokenUntilShortlyBeforeItExpires()
    {
        await using var services = Create();
        var client = services.GetRequiredService<SherwebClient>();

        var first = await client.ListSubscriptionsAsync(Contoso, Ct);
        var second = await client.ListSubscriptionsAsync(Contoso, Ct);

        Assert.True(first.Succeeded, first.Failure?.Message);
        Assert.Contains(first.Value!, s => s.Label == "Exchange Online (Plan 1) (CFQ7TTC0LH16:0001)");
        Assert.Equal(first.Value!.Count, second.Value!.Count);
        Assert.Equal(1, TokenRequests());
        Assert.All(emulator.Journal.Entries.Where(e => e.Path.Contains("/details", StringComparison.Ordinal)), e => Assert.Equal(200, e.Status));

        time.Advance(TimeSpan.FromMinutes(57));
        await client.ListSubscriptionsAsync(Contoso, Ct);
        Assert.Equal(1, TokenRequests());

        time.Advance(TimeSpan.FromMinutes(2)); // 59 of the token's 60 minutes: renewed before it runs out
        var renewed = await client.ListSubscriptionsAsync(Contoso, Ct);
        Assert.True(renewed.Succeeded);
        Assert.Equal(2, TokenRequests());
    }

    [Fact]
    public async Task SetQuantity_SendsTheAbsoluteQuantity_AndReturnsSherwebsReceipt()
    {
        await using var services = Create();
        var client = services.GetRequiredService<SherwebClient>();
        var emulated = emulator.Sherweb.Subscriptions(SherwebCustomers.ContosoDentalCustomerId).Single(s => s.SkuPartNumber == "EXCHANGESTANDARD");

        var subscription = await client.GetSubscriptionAsync(Contoso, emulated.Id, Ct);
        var result = await client.SetQuantityAsync(Contoso, subscription.Value!, subscription.Value!.Quantity + 1, Ct);

        Assert.Equal(SherwebWriteOutcome.Accepted, result.Outcome);
        var amendment = Assert.Single(emulator.Sherweb.Amendments);
        Assert.Equal((emulated.Id, emulated.Quantity, emulated.Quantity + 1), (amendment.SubscriptionId, amendment.PreviousQuantity, amendment.NewQuantity));
        Assert.Equal(amendment.Id, result.Amendment!.AmendmentId);
        Assert.Equal(amendment.RequestTrackingId, result.Amendment.TrackingId);
        Assert.Equal(emulated.Quantity + 1, result.Amendment.NewQuantity);
        Assert.Equal("Pending", (await client.AmendmentStatusAsync(Contoso, amendment.Id, Ct)).Value);
    }

    [Theory]
    [InlineData(null)] // the connection drops after Sherweb acted on the request
    [InlineData(504)] // a gateway answers 504 after the API committed
    [InlineData(500)]
    public async Task ALostAnswer_IsUnknown_AndTheAmendmentIsNeverSentTwice_EvenWithRetriesOn(int? status)
    {
        // Polly waits on the container's TimeProvider; real (10 ms) delays would pass, but no retry may happen at all.
        await using var services = Create(new() { ["Sherweb:MaxRetries"] = "3" }, timeProvider: false);
        var client = services.GetRequiredService<SherwebClient>();
        var subscription = (await client.GetSubscriptionAsync(Contoso, emulator.Sherweb.Subscriptions(SherwebCustomers.ContosoDentalCustomerId)[0].Id, Ct)).Value!;
        emulator.Sherweb.LoseNextAmendmentAnswers(status: status);

        var result = await client.SetQuantityAsync(Contoso, subscription, subscription.Quantity + 1, Ct);

        Assert.Equal(SherwebWriteOutcome.Unknown, result.Outcome);
        Assert.Equal("AnswerLost", result.Failure!.Code);
        Assert.Contains("may or may not have been accepted", result.Failure.Message, StringComparison.Ordinal);
        Assert.Contains(status switch { null => "connection dropped", 500 => "not provisioned for Microsoft 365", _ => "temporarily unavailable" }, result.Failure.Message, StringComparison.Ordinal);
        var amendment = Assert.Single(emulator.Sherweb.Amendments); // committed once, not repeated
        Assert.Equal(subscription.Quantity + 1, amendment.NewQuantity);
        Assert.Single(emulator.Journal.Entries, e => e.Method == "POST" && e.Path.EndsWith("/amendments", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A503BeforeAnythingHappened_IsStillUnknown_NotRetried_AndReadsAreRetried()
    {
        await using var services = Create(new() { ["Sherweb:MaxRetries"] = "2" }, timeProvider: false);
        var client = services.GetRequiredService<SherwebClient>();
        var subscription = (await client.GetSubscriptionAsync(Contoso, emulator.Sherweb.Subscriptions(SherwebCustomers.ContosoDentalCustomerId)[0].Id, Ct)).Value!;
        emulator.Sherweb.FailNextAmendments(503, "ServiceUnavailable", "Service unavailable", "Try again later.");

        var result = await client.SetQuantityAsync(Contoso, subscription, subscription.Quantity + 1, Ct);

        // From the outside a 503 cannot be told apart from one sent after a commit: the caller must re-read.
        Assert.Equal(SherwebWriteOutcome.Unknown, result.Outcome);
        Assert.Equal([503], emulator.Journal.Entries.Where(e => e.Method == "POST" && e.Path.EndsWith("/amendments", StringComparison.Ordinal)).Select(e => e.Status));
        Assert.Empty(emulator.Sherweb.Amendments);
    }

    [Theory]
    [InlineData(400, "ProductQuantityCannotBeChanged", GraphFailureKind.BadRequest, "does not allow changing the quantity")]
    [InlineData(400, "CommitmentTermViolations", GraphFailureKind.BadRequest, "commitment terms")]
    public async Task SherwebProblems_BecomeFriendlyFailures(int status, string type, GraphFailureKind kind, string message)
    {
        await using var services = Create();
        var client = services.GetRequiredService<SherwebClient>();
        var subscription = emulator.Sherweb.Subscriptions(SherwebCustomers.ContosoDentalCustomerId)[0];
        emulator.Sherweb.FailNextAmendments(status, type, "Refused", "raw detail text from Sherweb", count: 5);

        var result = await client.SetQuantityAsync(Contoso, (await client.GetSubscriptionAsync(Contoso, subscription.Id, Ct)).Value!, subscription.Quantity + 1, Ct);

        Assert.Equal(SherwebWriteOutcome.Refused, result.Outcome);
        Assert.Equal(kind, result.Failure!.Kind);
        Assert.Equal(type, result.Failure.Code);
        Assert.Contains(message, result.Failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("raw detail", result.Failure.Message, StringComparison.Ordinal);
        Assert.NotNull(result.Failure.RequestId);
        Assert.Empty(emulator.Sherweb.Amendments);
    }

    [Fact]
    public async Task WrongSecret_UnmappedTenant_UnknownCustomer_AndAGoneSubscription_AreSaidPlainly()
    {
        await using var wrongSecret = Create(new() { ["Sherweb:ClientSecret"] = "not-it" });
        await using var unknownCustomer = Create(new() { ["Sherweb:Customers:0:CustomerId"] = Guid.NewGuid().ToString() });
        await using var services = Create();

        var signIn = await wrongSecret.GetRequiredService<SherwebClient>().ListSubscriptionsAsync(Contoso, Ct);
        var unmapped = await services.GetRequiredService<SherwebClient>().ListSubscriptionsAsync(SeededTenants.FabrikamLogisticsId, Ct);
        var customer = await unknownCustomer.GetRequiredService<SherwebClient>().ListSubscriptionsAsync(Contoso, Ct);
        var gone = await services.GetRequiredService<SherwebClient>().GetSubscriptionAsync(Contoso, Guid.NewGuid().ToString(), Ct);

        Assert.Equal(GraphFailureKind.Unauthorized, signIn.Failure!.Kind);
        Assert.Contains("could not sign in to Sherweb", signIn.Failure.Message, StringComparison.Ordinal);
        Assert.False(services.GetRequiredService<SherwebClient>().IsEnabledFor(SeededTenants.FabrikamLogisticsId));
        Assert.Contains("not set up for this tenant", unmapped.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal("CustomerNotFound", customer.Failure!.Code);
        Assert.Contains("Sherweb customer id", customer.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("no longer exists", gone.Failure!.Message, StringComparison.Ordinal);
        Assert.Empty(emulator.Sherweb.Amendments);
    }

    [Fact]
    public async Task NeitherTheSecretNorTheSubscriptionKeyIsLogged()
    {
        await using var services = Create(logging: true);
        var client = services.GetRequiredService<SherwebClient>();
        var subscription = (await client.GetSubscriptionAsync(Contoso, emulator.Sherweb.Subscriptions(SherwebCustomers.ContosoDentalCustomerId)[0].Id, Ct)).Value!;
        await client.SetQuantityAsync(Contoso, subscription, subscription.Quantity + 1, Ct);
        await using var wrong = Create(new() { ["Sherweb:ClientSecret"] = "wrong-secret-value" }, logging: true);
        await wrong.GetRequiredService<SherwebClient>().ListSubscriptionsAsync(Contoso, Ct);

        var logs = services.GetFakeLogCollector().GetSnapshot().Concat(wrong.GetFakeLogCollector().GetSnapshot()).ToList();
        Assert.Contains(logs, l => l.Message.Contains("amendment", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(logs, l => l.Message.Contains("token request failed", StringComparison.OrdinalIgnoreCase));
        foreach (var secret in new[] { SherwebCustomers.DefaultClientSecret, SherwebCustomers.DefaultSubscriptionKey, "wrong-secret-value" })
            Assert.DoesNotContain(logs, l => l.Message.Contains(secret, StringComparison.Ordinal) || string.Join(' ', l.StructuredState?.Select(s => s.Value) ?? []).Contains(secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Sherweb:ClientSecret", "", "Sherweb:ClientSecret is required")]
    [InlineData("Sherweb:SubscriptionKey", "", "Sherweb:SubscriptionKey is required")]
    [InlineData("Sherweb:Customers:0:CustomerId", "not-a-uuid", "CustomerId (uuid)")]
    [InlineData("Sherweb:ApiBaseUrl", "ftp://example", "ApiBaseUrl must be an absolute http(s) URL")]
    public void InvalidSettings_StopStartUp_NamingTheSetting(string key, string value, string expected)
    {
        using var services = Create(new() { [key] = value }, timeProvider: false);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SherwebOptions>>().Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disabled_NeedsNoCredentials()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Sherweb:Enabled"] = "false" }).Build();
        using var services = new ServiceCollection().AddCippSherweb(configuration).BuildServiceProvider();

        var client = services.GetRequiredService<SherwebClient>();

        Assert.False(client.IsEnabledFor(Contoso));
    }

    private int TokenRequests() => emulator.Journal.Entries.Count(e => e.Path == "/sherweb/auth/oidc/connect/token" && e.Status == 200);

    private ServiceProvider Create(Dictionary<string, string?>? overrides = null, bool logging = false, bool timeProvider = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sherweb:Enabled"] = "true",
            ["Sherweb:ClientId"] = SherwebCustomers.DefaultClientId,
            ["Sherweb:ClientSecret"] = SherwebCustomers.DefaultClientSecret,
            ["Sherweb:SubscriptionKey"] = SherwebCustomers.DefaultSubscriptionKey,
            ["Sherweb:TokenUrl"] = emulator.SherwebTokenUri.ToString(),
            ["Sherweb:ApiBaseUrl"] = emulator.SherwebApiUri.ToString(),
            ["Sherweb:TrustedCertificateThumbprint"] = emulator.CertificateThumbprint,
            ["Sherweb:MaxRetries"] = "0",
            ["Sherweb:RetryDelay"] = "00:00:00.010",
            ["Sherweb:Customers:0:TenantId"] = Contoso,
            ["Sherweb:Customers:0:CustomerId"] = SherwebCustomers.ContosoDentalCustomerId,
        };
        foreach (var (key, value) in overrides ?? [])
            settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        if (timeProvider)
            services.AddSingleton<TimeProvider>(time);
        if (logging)
            services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true);
        services.AddCippSherweb(configuration);
        return services.BuildServiceProvider();
    }
}
