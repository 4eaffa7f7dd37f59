using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CippUsers.TenantEmulator.Sherweb;
using Microsoft.Extensions.Time.Testing;

namespace CippUsers.TenantEmulator.Tests;

/// <summary>The emulated Sherweb partner API over HTTPS loopback, checked against external-apis.md §4.</summary>
public sealed class SherwebTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Contoso = SherwebCustomers.ContosoDentalCustomerId;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TokenEndpoint_IssuesClientCredentialsTokens_ForTheServiceProviderScopeOnly()
    {
        using var client = new SherwebClient(fixture.Host);

        var ok = await client.TokenResponseAsync(SherwebCustomers.DefaultClientId, SherwebCustomers.DefaultClientSecret, "service-provider");
        var wrongSecret = await client.TokenResponseAsync(SherwebCustomers.DefaultClientId, "nope", "service-provider");
        var wrongScope = await client.TokenResponseAsync(SherwebCustomers.DefaultClientId, SherwebCustomers.DefaultClientSecret, "distributor");

        Assert.Equal(200, ok.Status);
        JsonShape.Matches("""{"access_token":"x","expires_in":1,"token_type":"x"}""", ok.Json);
        Assert.Equal("Bearer", (string?)ok.Json!["token_type"]);
        Assert.Equal(3600, (int)ok.Json["expires_in"]!);
        Assert.Equal((400, "invalid_client"), (wrongSecret.Status, (string?)wrongSecret.Json!["error"]));
        Assert.Equal((400, "invalid_scope"), (wrongScope.Status, (string?)wrongScope.Json!["error"]));
    }

    [Fact]
    public async Task ApiCalls_NeedTheSubscriptionKey_AndASherwebToken()
    {
        using var client = new SherwebClient(fixture.Host);
        var token = await client.TokenAsync();

        var noKey = await client.SendAsync(HttpMethod.Get, $"billing/subscriptions/details?customerId={Contoso}", token: token, key: null);
        var badKey = await client.SendAsync(HttpMethod.Get, $"billing/subscriptions/details?customerId={Contoso}", token: token, key: "wrong");
        var noToken = await client.SendAsync(HttpMethod.Get, $"billing/subscriptions/details?customerId={Contoso}", token: null);
        using var graph = new GraphTestClient(fixture.Host);
        var graphToken = await client.SendAsync(HttpMethod.Get, $"billing/subscriptions/details?customerId={Contoso}", token: await graph.TokenAsync(SeededTenants.ContosoDentalId));
        // and the other way round: Graph refuses a Sherweb token
        var graphWithSherwebToken = await graph.SendAsync(SeededTenants.ContosoDentalId, HttpMethod.Get, "organization", token: token);

        Assert.Equal(401, noKey.Status);
        Assert.Contains("missing subscription key", (string?)noKey.Json!["message"], StringComparison.Ordinal);
        Assert.Equal(401, badKey.Status);
        Assert.Equal(401, noToken.Status);
        Assert.Equal("application/problem+json", noToken.MediaType);
        Assert.Equal(401, graphToken.Status);
        Assert.Equal(401, graphWithSherwebToken.Status);
    }

    [Fact]
    public async Task Customers_AndSubscriptionDetails_HaveSherwebsShape_AndMatchTheTenantsSkus()
    {
        using var client = new SherwebClient(fixture.Host);

        var customers = await client.SendAsync(HttpMethod.Get, "customers");
        var details = await client.SendAsync(HttpMethod.Get, $"billing/subscriptions/details?customerId={Contoso}");
        var unknown = await client.SendAsync(HttpMethod.Get, $"billing/subscriptions/details?customerId={Guid.NewGuid()}");
        var missing = await client.SendAsync(HttpMethod.Get, "billing/subscriptions/details");

        Assert.Equal(200, customers.Status);
        JsonShape.Matches("""{"items":[{"id":"x","displayName":"x","path":["x"]}]}""", customers.Json);
        Assert.Contains(customers.Json!["items"]!.AsArray(), c => (string?)c!["id"] == Contoso && (string?)c["displayName"] == "Contoso Dental");

        Assert.Equal(200, details.Status);
        JsonShape.Matches("""{"items":[{"id":"x","productName":"x","description":"x","sku":"x","quantity":1,"purchaseDate":"x","commitmentTerm":{"type":"x","termEndDate":"x"}}]}""", details.Json);
        var exchange = details.Json!["items"]!.AsArray().Single(i => (string?)i!["productName"] == "Exchange Online (Plan 1)")!;
        var graphSku = fixture.Host.State.Tenant(SeededTenants.ContosoDentalId).SubscribedSkus().Single(s => (string?)s["skuPartNumber"] == "EXCHANGESTANDARD");
        Assert.Equal((int)graphSku["prepaidUnits"]!["enabled"]!, (int)exchange["quantity"]!);
        Assert.Equal((int)graphSku["consumedUnits"]!, (int)graphSku["prepaidUnits"]!["enabled"]!); // seeded with no seat left
        Assert.Contains(details.Json["items"]!.AsArray(), i => (string?)i!["sku"] == "SW-BKP-M365-USER");

        Assert.Equal(404, unknown.Status);
        Assert.Equal("application/problem+json", unknown.MediaType);
        JsonShape.Matches("""{"type":"x","title":"x","status":1,"detail":"x","instance":"x"}""", unknown.Json);
        Assert.EndsWith("CustomerNotFound", (string?)unknown.Json!["type"], StringComparison.Ordinal);
        Assert.Equal(400, missing.Status);
    }

    [Fact]
    public async Task Amendment_IsAcceptedThenProcessed_AndTheSeatReachesGraphAfterTheDelay()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await EmulatorHost.StartAsync(new EmulatorSettings
        {
            IncludeLargeTenant = false,
            TimeProvider = time,
            Sherweb = { AmendmentProcessingDelay = TimeSpan.FromSeconds(10), SeatProvisioningDelay = TimeSpan.FromSeconds(60) },
        }, Ct);
        using var client = new SherwebClient(host);
        var tenant = host.State.Tenant(SeededTenants.ContosoDentalId);
        var subscription = host.Sherweb.Subscriptions(Contoso).Single(s => s.SkuPartNumber == "EXCHANGESTANDARD");
        int Prepaid() => (int)tenant.SubscribedSkus().Single(s => (string?)s["skuPartNumber"] == "EXCHANGESTANDARD")["prepaidUnits"]!["enabled"]!;
        var before = Prepaid();
        host.Journal.Reset();

        var accepted = await client.SendAsync(HttpMethod.Post, $"billing/subscriptions/amendments?customerId={Contoso}", new JsonObject
        {
            ["subscriptionAmendmentParameters"] = new JsonArray(new JsonObject { ["subscriptionId"] = subscription.Id, ["newQuantity"] = subscription.Quantity + 1 }),
        });

        Assert.Equal(200, accepted.Status);
        var amendmentId = (string)accepted.Json!["subscriptionsAmendmentId"]!;
        var trackingId = (string)accepted.Json["trackingId"]!["requestTrackingId"]!;
        Assert.True(Guid.TryParse(amendmentId, out _));
        Assert.Equal("Pending", (await client.SendAsync(HttpMethod.Get, $"billing/subscriptions/amendments/{amendmentId}/status")).Json!.GetValue<string>());
        Assert.Equal("Queued", (string?)(await client.SendAsync(HttpMethod.Get, $"tracking/{trackingId}")).Json!["status"]);
        Assert.Equal(subscription.Quantity, host.Sherweb.Subscriptions(Contoso).Single(s => s.Id == subscription.Id).Quantity);

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal("Processing", (await client.SendAsync(HttpMethod.Get, $"billing/subscriptions/amendments/{amendmentId}/status")).Json!.GetValue<string>());
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("Success", (string?)(await client.SendAsync(HttpMethod.Get, $"tracking/{trackingId}")).Json!["status"]);
        var details = await client.SendAsync(HttpMethod.Get, $"billing/subscriptions/details?customerId={Contoso}");
        Assert.Equal(subscription.Quantity + 1, (int)details.Json!["items"]!.AsArray().Single(i => (string?)i!["id"] == subscription.Id)!["quantity"]!);
        Assert.Equal(before, Prepaid());

        time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(before + 1, Prepaid());

        var post = Assert.Single(host.Journal.Entries, e => e.Method == "POST" && e.Path.EndsWith("/billing/subscriptions/amendments", StringComparison.Ordinal));
        Assert.Equal("/sherweb/service-provider/v1/billing/subscriptions/amendments", post.Path);
        Assert.Equal(SeededTenants.ContosoDentalId, post.TenantId);
        Assert.Equal(200, post.Status);
        Assert.Equal(["subscriptionAmendmentParameters"], post.BodyProperties);
    }

    [Fact]
    public async Task Amendment_RefusesUnknownSubscriptionsAndNegativeQuantities_AndReturnsInjectedProblemsOnce()
    {
        await using var host = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false }, Ct);
        using var client = new SherwebClient(host);
        var subscription = host.Sherweb.Subscriptions(Contoso)[0];
        JsonObject Body(string id, int quantity) => new()
        {
            ["subscriptionAmendmentParameters"] = new JsonArray(new JsonObject { ["subscriptionId"] = id, ["newQuantity"] = quantity }),
        };

        var unknown = await client.SendAsync(HttpMethod.Post, $"billing/subscriptions/amendments?customerId={Contoso}", Body(Guid.NewGuid().ToString(), 3));
        var negative = await client.SendAsync(HttpMethod.Post, $"billing/subscriptions/amendments?customerId={Contoso}", Body(subscription.Id, -1));
        host.Sherweb.FailNextAmendments(400, "ProductQuantityCannotBeChanged", "Product quantity cannot be changed", "The quantity of this product cannot be changed.");
        var injected = await client.SendAsync(HttpMethod.Post, $"billing/subscriptions/amendments?customerId={Contoso}", Body(subscription.Id, subscription.Quantity + 1));
        var next = await client.SendAsync(HttpMethod.Post, $"billing/subscriptions/amendments?customerId={Contoso}", Body(subscription.Id, subscription.Quantity + 1));

        Assert.Equal(400, unknown.Status);
        Assert.EndsWith("SubscriptionsValidationError", (string?)unknown.Json!["type"], StringComparison.Ordinal);
        Assert.Equal(400, negative.Status);
        Assert.Equal(400, injected.Status);
        Assert.EndsWith("ProductQuantityCannotBeChanged", (string?)injected.Json!["type"], StringComparison.Ordinal);
        Assert.Equal(200, next.Status);
        Assert.Single(host.Sherweb.Amendments);
    }

    [Fact]
    public async Task LostAnswers_CommitTheAmendment_ThenDropTheConnectionOrAnswerA5xx()
    {
        await using var host = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false, Sherweb = { AmendmentProcessingDelay = TimeSpan.Zero } }, Ct);
        using var client = new SherwebClient(host);
        var subscription = host.Sherweb.Subscriptions(Contoso)[0];
        JsonObject Body(int quantity) => new()
        {
            ["subscriptionAmendmentParameters"] = new JsonArray(new JsonObject { ["subscriptionId"] = subscription.Id, ["newQuantity"] = quantity }),
        };
        host.Sherweb.LoseNextAmendmentAnswers();
        using var http = host.CreateHttpClient();
        using var put = await http.PutAsync(new Uri("_emulator/sherweb", UriKind.Relative),
            new StringContent("""{"loseNextAmendmentAnswers":1}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(200, (int)put.StatusCode);
        host.Sherweb.LoseNextAmendmentAnswers(status: 504);

        var dropped = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(HttpMethod.Post, $"billing/subscriptions/amendments?customerId={Contoso}", Body(subscription.Quantity + 1)));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(HttpMethod.Post, $"billing/subscriptions/amendments?customerId={Contoso}", Body(subscription.Quantity + 2)));
        var gateway = await client.SendAsync(HttpMethod.Post, $"billing/subscriptions/amendments?customerId={Contoso}", Body(subscription.Quantity + 3));
        var answered = await client.SendAsync(HttpMethod.Post, $"billing/subscriptions/amendments?customerId={Contoso}", Body(subscription.Quantity + 4));

        Assert.NotNull(dropped);
        Assert.Equal(504, gateway.Status);
        Assert.Equal("application/problem+json", gateway.MediaType);
        Assert.Equal(200, answered.Status);
        // Every one was acted on although three answers were lost: the quantity shows the last one.
        Assert.Equal([subscription.Quantity + 1, subscription.Quantity + 2, subscription.Quantity + 3, subscription.Quantity + 4], host.Sherweb.Amendments.Select(a => a.NewQuantity));
        Assert.Equal(subscription.Quantity + 4, host.Sherweb.Subscriptions(Contoso)[0].Quantity);
    }

    [Fact]
    public async Task AdminEndpoint_ShowsAndChangesTheDelays()
    {
        await using var host = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false }, Ct);
        using var http = host.CreateHttpClient();

        using var put = await http.PutAsync(new Uri("_emulator/sherweb", UriKind.Relative),
            new StringContent("""{"seatProvisioningDelaySeconds":5,"amendmentProcessingDelaySeconds":1}""", Encoding.UTF8, "application/json"), Ct);
        var view = JsonNode.Parse(await put.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(200, (int)put.StatusCode);
        Assert.Equal(5, (double)view["seatProvisioningDelaySeconds"]!);
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)), host.Sherweb.Delays);
        Assert.Contains(view["customers"]!.AsArray(), c => (string?)c!["tenantId"] == SeededTenants.FabrikamLogisticsId && c["subscriptions"]!.AsArray().Count >= 3);
    }

    /// <summary>Raw calls to the emulated Sherweb API with a cached token and the subscription key.</summary>
    private sealed class SherwebClient(EmulatorHost host) : IDisposable
    {
        private readonly HttpClient http = host.CreateHttpClient();
        private string? token;

        public async Task<Answer> TokenResponseAsync(string clientId, string secret, string scope)
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = secret,
                ["scope"] = scope,
            });
            using var response = await http.PostAsync(host.SherwebTokenUri, content, Ct);
            return await ReadAsync(response);
        }

        public async Task<string> TokenAsync() =>
            token ??= (string)(await TokenResponseAsync(SherwebCustomers.DefaultClientId, SherwebCustomers.DefaultClientSecret, "service-provider")).Json!["access_token"]!;

        public async Task<Answer> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? token = "", string? key = SherwebCustomers.DefaultSubscriptionKey)
        {
            using var request = new HttpRequestMessage(method, new Uri(host.SherwebApiUri, path));
            var bearer = token == "" ? await TokenAsync() : token;
            if (bearer is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            if (key is not null)
            {
                request.Headers.Add("Ocp-Apim-Subscription-Key", key);
            }

            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request, Ct);
            return await ReadAsync(response);
        }

        public void Dispose() => http.Dispose();

        private static async Task<Answer> ReadAsync(HttpResponseMessage response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            return new Answer((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null, response.Content.Headers.ContentType?.MediaType);
        }
    }

    private sealed record Answer(int Status, JsonNode? Json, string? MediaType);
}
