using CippUsers.Graph.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using static CippUsers.Graph.Tests.Infrastructure.TestUsers;

namespace CippUsers.Graph.Tests.Operations;

/// The Graph library's pieces for bulk add and bulk invite, against the emulator.
public class BulkOperationsTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private UserOperations Users => fx.Get<UserOperations>();

    [Fact]
    public async Task FindExistingAsync_40Names_OneBatchOfThreeInQueries_ReturnsOnlyExisting()
    {
        var existing = fx.SmallTenant.Users().Take(20).Select(u => u.Str("userPrincipalName")!).ToList();
        var missing = Enumerable.Range(0, 20).Select(i => $"nobody{i}.{Guid.NewGuid():N}@{SeededTenants.ContosoDentalDomain}").ToList();
        fx.Emulator.Journal.Reset();

        var result = await Users.FindExistingAsync(EmulatorFixture.Small, [.. existing.Select(u => u.ToUpperInvariant()), .. missing], Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(existing.Order(StringComparer.OrdinalIgnoreCase), result.Value!.Keys.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(fx.SmallTenant.FindUser(existing[0])!.Str("id"), result.Value[existing[0]]);
        var entries = fx.Emulator.Journal.Entries;
        Assert.Single(entries, e => !e.BatchItem && e.Path.EndsWith("$batch", StringComparison.Ordinal));
        Assert.Equal(3, entries.Count(e => e.BatchItem && e.Method == "GET"));
    }

    [Fact]
    public async Task CreateManyAsync_ThrottledItems_AreRetriedWithTheirWholeBody()
    {
        var original = fx.SmallTenant.Realism;
        fx.SmallTenant.SetRealism(new RealismSettings { WriteBudget = 5, WriteBudgetWindow = TimeSpan.FromSeconds(1) });
        try
        {
            var batch = Enumerable.Range(0, 12).Select(_ => New(SeededTenants.ContosoDentalDomain, "thr") with { JobTitle = "Porter" }).ToList();
            fx.Emulator.Journal.Reset();

            var results = await Users.CreateManyAsync(EmulatorFixture.Small, batch, Ct);

            Assert.All(results, r => Assert.True(r.Succeeded, r.Failure?.Message));
            Assert.Contains(fx.Emulator.Journal.Entries, e => e.Throttled);
            Assert.All(batch, u => Assert.Equal("Porter", fx.SmallTenant.FindUser(u.UserPrincipalName)!.Str("jobTitle")));
        }
        finally
        {
            fx.SmallTenant.SetRealism(original);
        }
    }

    [Fact]
    public async Task InviteAsync_160AtOnce_EveryGuestIsInvitedOnceAndNoneIsLost()
    {
        var invitations = fx.Get<InvitationOperations>();
        var domain = $"i{Guid.NewGuid():N}"[..10] + ".example";
        fx.Emulator.Journal.Reset();

        var results = await Task.WhenAll(Enumerable.Range(0, 160).Select(i =>
            invitations.InviteAsync(EmulatorFixture.Medium, new GuestInvitation($"g{i}@{domain}", $"Guest {i}") { SendInvitationMessage = false }, Ct)));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Failure?.Message));
        // The local limiter paces when requests leave; their arrival can still bunch up on a busy machine, so an
        // occasional 429 is possible and must be retried, never doubled or dropped.
        var accepted = fx.Emulator.Journal.Entries.Where(e => e.Path == "/v1.0/invitations" && !e.Throttled).ToList();
        Assert.Equal(160, accepted.Count);
        Assert.All(accepted, e => Assert.Equal(201, e.Status));
        Assert.Equal(160, results.Select(r => r.Value!.UserId).Distinct().Count());
        Assert.Equal(160, fx.MediumTenant.Users().Count(u => u.Str("mail")?.EndsWith(domain, StringComparison.Ordinal) == true));
    }
}
