using CippUsers.Graph.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using static CippUsers.Graph.Tests.Infrastructure.TestUsers;

namespace CippUsers.Graph.Tests.Operations;

/// <summary>Domains, licences, managers and invitations.</summary>
public class DirectoryOperationsTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private string Domain => SeededTenants.ContosoDentalDomain;

    [Fact]
    public async Task ListVerifiedAsync_ReturnsOnlyVerified_DefaultFirst()
    {
        var result = await fx.Get<DomainOperations>().ListVerifiedAsync(EmulatorFixture.Small, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(Domain, result.Value![0].Name);
        Assert.True(result.Value[0].IsDefault);
        Assert.Contains(result.Value, d => d.Name == SeededTenants.ContosoDentalInitialDomain && d.IsInitial);
        Assert.DoesNotContain(result.Value, d => d.Name.EndsWith(".example", StringComparison.Ordinal) && !d.IsDefault && !d.IsInitial && d.AuthenticationType == null);
    }

    [Fact]
    public async Task ListSkusAsync_ReportsAvailableSeatsAndFriendlyNames()
    {
        var expected = fx.SmallTenant.SubscribedSkus();

        var result = await fx.Get<LicenseOperations>().ListSkusAsync(EmulatorFixture.Small, Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(expected.Count, result.Value!.Count);
        foreach (var sku in expected)
        {
            var mine = Assert.Single(result.Value, s => s.SkuId == Guid.Parse(sku.Str("skuId")!));
            Assert.Equal(sku["prepaidUnits"]!["enabled"]!.GetValue<int>() - sku["consumedUnits"]!.GetValue<int>(), mine.Available);
        }
        Assert.Contains(result.Value, s => s.SkuPartNumber == "O365_BUSINESS_PREMIUM" && s.FriendlyName == "Microsoft 365 Business Standard");
    }

    [Fact]
    public async Task AssignAsync_AddsAndRemovesLicence_InTenantState()
    {
        var licences = fx.Get<LicenseOperations>();
        var sku = (await licences.ListSkusAsync(EmulatorFixture.Small, Ct)).Value!.First(s => s.Available > 0 && s.AssignableToUsers);
        var user = (await fx.Get<UserOperations>().CreateAsync(EmulatorFixture.Small, New(Domain), Ct)).Value!;

        var added = await licences.AssignAsync(EmulatorFixture.Small, user.Id, [sku.SkuId], [], Ct);
        var held = await licences.ListUserSkuIdsAsync(EmulatorFixture.Small, user.Id, Ct);
        var removed = await licences.AssignAsync(EmulatorFixture.Small, user.Id, [], [sku.SkuId], Ct);

        Assert.True(added.Succeeded, added.Failure?.Message);
        Assert.Equal([sku.SkuId], held.Value!);
        Assert.True(removed.Succeeded, removed.Failure?.Message);
        Assert.Empty(fx.SmallTenant.FindUser(user.Id)!["assignedLicenses"]!.AsArray());
    }

    [Fact]
    public async Task AssignAsync_NoUsageLocation_ExplainsWhy()
    {
        var licences = fx.Get<LicenseOperations>();
        var sku = (await licences.ListSkusAsync(EmulatorFixture.Small, Ct)).Value!.First(s => s.Available > 0);
        var user = (await fx.Get<UserOperations>().CreateAsync(EmulatorFixture.Small, New(Domain) with { UsageLocation = null }, Ct)).Value!;

        var result = await licences.AssignAsync(EmulatorFixture.Small, user.Id, [sku.SkuId], [], Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("usage location", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssignAsync_SoldOutSku_ExplainsWhy()
    {
        var licences = fx.Get<LicenseOperations>();
        var soldOut = (await licences.ListSkusAsync(EmulatorFixture.Medium, Ct)).Value!.FirstOrDefault(s => s.Available == 0)
            ?? (await licences.ListSkusAsync(EmulatorFixture.Small, Ct)).Value!.FirstOrDefault(s => s.Available == 0);
        Assert.NotNull(soldOut);
        var tenant = (await licences.ListSkusAsync(EmulatorFixture.Medium, Ct)).Value!.Any(s => s.SkuId == soldOut.SkuId && s.Available == 0)
            ? EmulatorFixture.Medium : EmulatorFixture.Small;
        var domain = tenant == EmulatorFixture.Medium ? SeededTenants.FabrikamLogisticsDomain : Domain;
        var user = (await fx.Get<UserOperations>().CreateAsync(tenant, New(domain), Ct)).Value!;

        var result = await licences.AssignAsync(tenant, user.Id, [soldOut.SkuId], [], Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("no free licences", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manager_SetGetRemove_RoundTripsThroughTenant()
    {
        var managers = fx.Get<ManagerOperations>();
        var users = fx.Get<UserOperations>();
        var user = (await users.CreateAsync(EmulatorFixture.Small, New(Domain), Ct)).Value!;
        var boss = fx.SmallTenant.Users().First(u => u.Str("userType") == "Member");

        var none = await managers.GetAsync(EmulatorFixture.Small, user.Id, Ct);
        var set = await managers.SetAsync(EmulatorFixture.Small, user.Id, boss.Str("id")!, Ct);
        var stateAfterSet = fx.SmallTenant.ManagerIdOf(user.Id);
        var got = await managers.GetAsync(EmulatorFixture.Small, user.Id, Ct);
        var removed = await managers.RemoveAsync(EmulatorFixture.Small, user.Id, Ct);
        var removedAgain = await managers.RemoveAsync(EmulatorFixture.Small, user.Id, Ct);

        Assert.True(none.Succeeded, none.Failure?.Message);
        Assert.Null(none.Value);
        Assert.True(set.Succeeded, set.Failure?.Message);
        Assert.Equal(boss.Str("id"), stateAfterSet);
        Assert.Equal(boss.Str("id"), got.Value!.Id);
        Assert.True(removed.Succeeded, removed.Failure?.Message);
        Assert.True(removedAgain.Succeeded, removedAgain.Failure?.Message);
        Assert.Null(fx.SmallTenant.ManagerIdOf(user.Id));
    }

    [Fact]
    public async Task Manager_GetForMissingUser_IsNotFound()
    {
        var result = await fx.Get<ManagerOperations>().GetAsync(EmulatorFixture.Small, Guid.NewGuid().ToString(), Ct);

        Assert.Equal(GraphFailureKind.NotFound, result.Failure!.Kind);
    }

    [Fact]
    public async Task InviteAsync_CreatesGuestUser()
    {
        var email = $"pat{Guid.NewGuid():N}"[..12] + "@partner.example";

        var result = await fx.Get<InvitationOperations>().InviteAsync(EmulatorFixture.Small, new GuestInvitation(email, "Pat Partner"), Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal("PendingAcceptance", result.Value!.Status);
        Assert.False(string.IsNullOrEmpty(result.Value.RedeemUrl));
        var guest = fx.SmallTenant.FindUser(result.Value.UserId);
        Assert.NotNull(guest);
        Assert.Equal("Guest", guest.Str("userType"));
    }

    [Fact]
    public async Task InviteAsync_BadEmail_IsRefusedLocally()
    {
        var result = await fx.Get<InvitationOperations>().InviteAsync(EmulatorFixture.Small, new GuestInvitation("not-an-email", null), Ct);

        Assert.Equal(GraphFailureKind.BadRequest, result.Failure!.Kind);
    }
}
