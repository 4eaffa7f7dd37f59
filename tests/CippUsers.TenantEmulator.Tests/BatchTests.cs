using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Tests;

public sealed class BatchTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Tenant = SeededTenants.ContosoDentalId;

    private static JsonObject Item(string id, string method, string url, JsonNode? body = null, params string[] dependsOn)
    {
        var item = new JsonObject { ["id"] = id, ["method"] = method, ["url"] = url };
        if (body is not null)
        {
            item["body"] = body;
            item["headers"] = new JsonObject { ["Content-Type"] = "application/json" };
        }

        if (dependsOn.Length > 0)
        {
            item["dependsOn"] = new JsonArray([.. dependsOn.Select(d => (JsonNode)d)]);
        }

        return item;
    }

    [Fact]
    public async Task Batch_RunsEachItem_AndFailedDependenciesGet424()
    {
        using var client = new GraphTestClient(fixture.Host);
        var user = (string)fixture.Host.State.Tenant(Tenant).Users()[2]["id"]!;
        var batch = new JsonObject
        {
            ["requests"] = new JsonArray(
                Item("1", "PATCH", $"/users/{user}", new JsonObject { ["jobTitle"] = "Practice Manager" }),
                Item("2", "GET", $"/users/{user}?$select=id,jobTitle", null, "1"),
                Item("3", "GET", $"/users/{Guid.NewGuid()}"),
                Item("4", "POST", "/users/x/assignLicense", new JsonObject { ["addLicenses"] = new JsonArray(), ["removeLicenses"] = new JsonArray() }, "3"),
                Item("5", "GET", "/users/$count", null)),
        };
        batch["requests"]![4]!["headers"] = new JsonObject { ["ConsistencyLevel"] = "eventual" };

        var answer = await client.PostAsync(Tenant, "$batch", batch);

        Assert.Equal(200, answer.Status);
        JsonShape.Matches("""{"responses":[{"id":"1","status":204,"headers":{"Cache-Control":"no-cache"}}]}""".Replace("\"Cache-Control\":\"no-cache\"", "", StringComparison.Ordinal), answer.Json);
        var responses = answer.Json!["responses"]!.AsArray().ToDictionary(r => (string)r!["id"]!, r => r!);
        Assert.Equal(204, (int)responses["1"]["status"]!);
        Assert.Equal(200, (int)responses["2"]["status"]!);
        Assert.Equal("Practice Manager", (string?)responses["2"]["body"]!["jobTitle"]);
        Assert.Equal(404, (int)responses["3"]["status"]!);
        Assert.Equal(424, (int)responses["4"]["status"]!);
        Assert.Equal(200, (int)responses["5"]["status"]!);
        Assert.Equal("Practice Manager", (string?)fixture.Host.State.Tenant(Tenant).FindUser(user)!["jobTitle"]);
    }

    [Fact]
    public async Task Batch_RefusesMoreThan20_DuplicateIds_AndUnknownDependencies()
    {
        using var client = new GraphTestClient(fixture.Host);
        var tooMany = new JsonObject { ["requests"] = new JsonArray([.. Enumerable.Range(1, 21).Select(i => (JsonNode)Item(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "GET", "/organization"))]) };
        var duplicate = new JsonObject { ["requests"] = new JsonArray(Item("1", "GET", "/organization"), Item("1", "GET", "/domains")) };
        var unknown = new JsonObject { ["requests"] = new JsonArray(Item("1", "GET", "/organization", null, "9")) };

        Assert.Equal(400, (await client.PostAsync(Tenant, "$batch", tooMany)).Status);
        Assert.Equal(400, (await client.PostAsync(Tenant, "$batch", duplicate)).Status);
        Assert.Equal(400, (await client.PostAsync(Tenant, "$batch", unknown)).Status);
    }

    [Fact]
    public async Task Batch_ThrottlesEachItemOnItsOwn_WithRetryAfterInTheItemHeaders()
    {
        await using var host = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false, Realism = new RealismSettings { WriteBudget = 3, WriteBudgetWindow = TimeSpan.FromMinutes(10) } }, TestContext.Current.CancellationToken);
        using var client = new GraphTestClient(host);
        var users = host.State.Tenant(Tenant).Users();
        var batch = new JsonObject { ["requests"] = new JsonArray([.. Enumerable.Range(0, 5).Select(i => (JsonNode)Item($"{i}", "PATCH", $"/users/{users[i]["id"]}", new JsonObject { ["department"] = "Batch" }))]) };

        var answer = await client.PostAsync(Tenant, "$batch", batch);

        Assert.Equal(200, answer.Status);
        var statuses = answer.Json!["responses"]!.AsArray().Select(r => (int)r!["status"]!).ToList();
        Assert.Equal(3, statuses.Count(s => s == 204));
        Assert.Equal(2, statuses.Count(s => s == 429));
        var throttled = answer.Json!["responses"]!.AsArray().First(r => (int)r!["status"]! == 429)!;
        Assert.True(int.Parse((string)throttled["headers"]!["Retry-After"]!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("TooManyRequests", (string?)throttled["body"]!["error"]!["code"]);
        Assert.Equal(2, host.Journal.Entries.Count(e => e.BatchItem && e.Throttled));
        Assert.Equal(3, host.State.Tenant(Tenant).Users().Count(u => (string?)u["department"] == "Batch"));
    }
}
