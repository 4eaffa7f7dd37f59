using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace CippUsers.TenantEmulator.Tests;

public sealed class RealismTests
{
    private const string Tenant = SeededTenants.ContosoDentalId;

    private static JsonObject NewUser(string nickname) => new()
    {
        ["accountEnabled"] = true,
        ["displayName"] = $"Quinn {nickname}",
        ["mailNickname"] = nickname,
        ["userPrincipalName"] = $"{nickname}@{SeededTenants.ContosoDentalDomain}",
        ["passwordProfile"] = new JsonObject { ["password"] = "Str0ng!Passw0rd" },
    };

    private static Task<EmulatorHost> StartAsync(RealismSettings realism, TimeProvider? time = null) =>
        EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false, Realism = realism, TimeProvider = time ?? TimeProvider.System }, TestContext.Current.CancellationToken);

    [Fact]
    public async Task WriteBudget_Exhausted_Gives429WithGraphsHeaders_ThenRefillsOverTime()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await StartAsync(new RealismSettings { WriteBudget = 5, WriteBudgetWindow = TimeSpan.FromSeconds(50) }, time);
        using var client = new GraphTestClient(host);
        var user = (string)host.State.Tenant(Tenant).Users()[1]["id"]!;

        var statuses = new List<int>();
        GraphAnswer? throttled = null;
        for (var i = 0; i < 6; i++)
        {
            var answer = await client.PatchAsync(Tenant, $"users/{user}", new JsonObject { ["jobTitle"] = $"T{i}" });
            statuses.Add(answer.Status);
            throttled = answer.Status == 429 ? answer : throttled;
        }

        var read = await client.GetAsync(Tenant, $"users/{user}");
        time.Advance(TimeSpan.FromSeconds(10));
        var afterRefill = await client.PatchAsync(Tenant, $"users/{user}", new JsonObject { ["jobTitle"] = "Refilled" });

        Assert.Equal([204, 204, 204, 204, 204, 429], statuses);
        Assert.NotNull(throttled);
        Assert.Equal("TooManyRequests", throttled.ErrorCode);
        Assert.Equal(10, int.Parse(throttled.Headers["Retry-After"], CultureInfo.InvariantCulture));
        Assert.Equal($"Tenant_Application/Write/{host.ClientId}/{Tenant}", throttled.Headers["x-ms-throttle-scope"]);
        Assert.Equal("WriteLimitExceeded", throttled.Headers["x-ms-throttle-information"]);
        Assert.Equal(200, read.Status);
        Assert.Equal(204, afterRefill.Status);
        Assert.Equal(1, host.Journal.Entries.Count(e => e.Throttled && e.Status == 429));
        Assert.Equal("Refilled", (string?)host.State.Tenant(Tenant).FindUser(user)!["jobTitle"]);
    }

    [Fact]
    public async Task WriteBudget_IsPerTenant()
    {
        await using var host = await StartAsync(new RealismSettings { WriteBudget = 1, WriteBudgetWindow = TimeSpan.FromMinutes(10) });
        using var client = new GraphTestClient(host);
        var contosoUser = (string)host.State.Tenant(Tenant).Users()[1]["id"]!;
        var fabrikamUser = (string)host.State.Tenant(SeededTenants.FabrikamLogisticsId).Users()[1]["id"]!;

        var first = await client.PatchAsync(Tenant, $"users/{contosoUser}", new JsonObject { ["jobTitle"] = "A" });
        var second = await client.PatchAsync(Tenant, $"users/{contosoUser}", new JsonObject { ["jobTitle"] = "B" });
        var otherTenant = await client.PatchAsync(SeededTenants.FabrikamLogisticsId, $"users/{fabrikamUser}", new JsonObject { ["jobTitle"] = "C" });

        Assert.Equal(204, first.Status);
        Assert.Equal(429, second.Status);
        Assert.Equal(204, otherTenant.Status);
    }

    [Fact]
    public async Task ReplicationDelay_NewUserIs404AndMissingFromSearch_UntilItReplicates()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await StartAsync(new RealismSettings { ReplicationDelay = TimeSpan.FromSeconds(5) }, time);
        using var client = new GraphTestClient(host);

        var created = await client.PostAsync(Tenant, "users", NewUser("quinn.replica"));
        var id = (string)created.Json!["id"]!;
        var early = await client.GetAsync(Tenant, $"users/{id}");
        var earlyManager = await client.SendAsync(Tenant, HttpMethod.Put, $"users/{id}/manager/$ref", new JsonObject { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/users/{host.State.Tenant(Tenant).Users()[0]["id"]}" });
        var earlySearch = await client.GetAsync(Tenant, "users?$search=\"displayName:Quinn\"", eventual: true);
        time.Advance(TimeSpan.FromSeconds(6));
        var later = await client.GetAsync(Tenant, $"users/{id}");
        var laterSearch = await client.GetAsync(Tenant, "users?$search=\"displayName:Quinn\"", eventual: true);

        Assert.Equal(201, created.Status);
        Assert.NotNull(host.State.Tenant(Tenant).FindUser(id));
        Assert.Equal(404, early.Status);
        Assert.Equal("Request_ResourceNotFound", early.ErrorCode);
        Assert.Equal(404, earlyManager.Status);
        Assert.DoesNotContain(earlySearch.Value, u => (string?)u!["id"] == id);
        Assert.Equal(200, later.Status);
        Assert.Contains(laterSearch.Value, u => (string?)u!["id"] == id);
    }

    [Theory]
    [InlineData("ServiceUnavailable", 503)]
    [InlineData("GatewayTimeout", 504)]
    public async Task Faults_SwitchedOnThroughTheAdminEndpoint_AnswerWithTheFault(string fault, int status)
    {
        await using var host = await StartAsync(new RealismSettings());
        using var client = new GraphTestClient(host);
        var token = await client.TokenAsync(Tenant);

        using var put = await client.Http.PutAsJsonAsync(new Uri($"_emulator/tenants/{Tenant}/realism", UriKind.Relative), new JsonObject { ["faultRate"] = 1.0, ["faults"] = new JsonArray(fault) }, TestContext.Current.CancellationToken);
        var answer = await client.SendAsync(Tenant, HttpMethod.Get, "users", token: token);
        var otherTenant = await client.GetAsync(SeededTenants.FabrikamLogisticsId, "organization");

        Assert.Equal(200, (int)put.StatusCode);
        Assert.Equal(status, answer.Status);
        Assert.Equal(200, otherTenant.Status);
        if (status == 503)
        {
            Assert.Equal("1", answer.Headers["Retry-After"]);
        }
    }

    [Fact]
    public async Task ConnectionResetFault_DropsTheConnection()
    {
        await using var host = await StartAsync(new RealismSettings());
        using var client = new GraphTestClient(host);
        var token = await client.TokenAsync(Tenant);
        host.State.Tenant(Tenant).SetRealism(new RealismSettings { FaultRate = 1, Faults = [InjectedFault.ConnectionReset] });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(Tenant, HttpMethod.Get, "users", token: token));

        Assert.Contains(host.Journal.Entries, e => e.Status == 0 && e.TenantId == Tenant);
    }

    [Fact]
    public async Task FaultRate_IsApproximatelyHonoured()
    {
        await using var host = await StartAsync(new RealismSettings { FaultRate = 0.3, Faults = [InjectedFault.ServiceUnavailable] });
        using var client = new GraphTestClient(host);

        var statuses = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            statuses.Add((await client.GetAsync(Tenant, "organization")).Status);
        }

        var faults = statuses.Count(s => s == 503);
        Assert.InRange(faults, 35, 85);
        Assert.Equal(200 - faults, statuses.Count(s => s == 200));
    }

    [Fact]
    public async Task Latency_DelaysEveryGraphAnswer()
    {
        await using var host = await StartAsync(new RealismSettings { Latency = TimeSpan.FromMilliseconds(120), LatencyJitter = TimeSpan.FromMilliseconds(30) });
        using var client = new GraphTestClient(host);
        await client.TokenAsync(Tenant);

        var stopwatch = Stopwatch.StartNew();
        await client.GetAsync(Tenant, "organization");
        await client.GetAsync(Tenant, "organization");

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(240), $"took {stopwatch.Elapsed.TotalMilliseconds} ms");
        Assert.All(host.Journal.Entries, e => Assert.True(e.Duration >= TimeSpan.FromMilliseconds(120)));
    }

    [Fact]
    public async Task AdminEndpoint_ReadsAndValidatesRealism()
    {
        await using var host = await StartAsync(new RealismSettings());
        using var client = new GraphTestClient(host);

        using var put = await client.Http.PutAsJsonAsync(new Uri($"_emulator/tenants/{Tenant}/realism", UriKind.Relative), new JsonObject { ["writeBudget"] = 50, ["writeBudgetWindowSeconds"] = 10, ["replicationDelaySeconds"] = 2, ["latencyMs"] = 5 }, TestContext.Current.CancellationToken);
        var read = await client.Http.GetFromJsonAsync<JsonObject>(new Uri($"_emulator/tenants/{Tenant}/realism", UriKind.Relative), TestContext.Current.CancellationToken);
        using var invalid = await client.Http.PutAsJsonAsync(new Uri($"_emulator/tenants/{Tenant}/realism", UriKind.Relative), new JsonObject { ["faultRate"] = 2 }, TestContext.Current.CancellationToken);
        using var unknown = await client.Http.PutAsJsonAsync(new Uri($"_emulator/tenants/{Guid.NewGuid()}/realism", UriKind.Relative), new JsonObject(), TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)put.StatusCode);
        Assert.Equal(50, (int)read!["writeBudget"]!);
        Assert.Equal(TimeSpan.FromSeconds(2), host.State.Tenant(Tenant).Realism.ReplicationDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(5), host.State.Tenant(Tenant).Realism.Latency);
        Assert.Equal(400, (int)invalid.StatusCode);
        Assert.Equal(404, (int)unknown.StatusCode);
    }

    [Fact]
    public async Task RealismPerTenant_AtStart()
    {
        var settings = new EmulatorSettings { IncludeLargeTenant = false };
        settings.TenantRealism[SeededTenants.FabrikamLogisticsId] = new RealismSettings { ThrottlingEnabled = false, ReplicationDelay = TimeSpan.FromSeconds(3) };
        await using var host = await EmulatorHost.StartAsync(settings, TestContext.Current.CancellationToken);

        Assert.False(host.State.Tenant(SeededTenants.FabrikamLogisticsId).Realism.ThrottlingEnabled);
        Assert.True(host.State.Tenant(Tenant).Realism.ThrottlingEnabled);
        Assert.Equal(3000, host.State.Tenant(Tenant).Realism.WriteBudget);
    }
}
