using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Tests;

/// Graph's invitation limit in the emulator: 150 invitations per 5 s per tenant, then 429 with Retry-After.
public sealed class InvitationBudgetTests
{
    [Fact]
    public async Task The151stInvitationWithinFiveSeconds_IsThrottled_WithRetryAfter()
    {
        // A clock that stands still: no invitation budget comes back while the test sends.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await EmulatorHost.StartAsync(new EmulatorSettings { IncludeLargeTenant = false, TimeProvider = clock, TokenLifetime = TimeSpan.FromDays(1) });
        using var client = new GraphTestClient(host);
        var domain = $"b{Guid.NewGuid():N}"[..10] + ".example";

        var answers = new List<GraphAnswer>();
        for (var i = 0; i < 151; i++)
        {
            answers.Add(await client.PostAsync(SeededTenants.ContosoDentalId, "invitations", new JsonObject
            {
                ["invitedUserEmailAddress"] = $"g{i}@{domain}",
                ["inviteRedirectUrl"] = "https://myapps.microsoft.com",
            }));
        }

        Assert.All(answers.Take(150), a => Assert.Equal(201, a.Status));
        var throttled = answers[150];
        Assert.Equal(429, throttled.Status);
        Assert.True(int.Parse(throttled.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("TooManyRequests", (string?)throttled.Json!["error"]!["code"]);
        // The budget comes back with time.
        clock.Advance(TimeSpan.FromSeconds(1));
        var later = await client.PostAsync(SeededTenants.ContosoDentalId, "invitations", new JsonObject
        {
            ["invitedUserEmailAddress"] = $"later@{domain}",
            ["inviteRedirectUrl"] = "https://myapps.microsoft.com",
        });
        Assert.Equal(201, later.Status);
        // Another tenant has its own budget.
        var other = await client.PostAsync(SeededTenants.FabrikamLogisticsId, "invitations", new JsonObject
        {
            ["invitedUserEmailAddress"] = $"x@{domain}",
            ["inviteRedirectUrl"] = "https://myapps.microsoft.com",
        });
        Assert.Equal(201, other.Status);
    }
}
