using CippUsers.Graph.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.Logging.Abstractions;
using static CippUsers.Graph.Tests.Infrastructure.TestUsers;

namespace CippUsers.Graph.Tests.Operations;

public class UserProvisioningTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private string Domain => SeededTenants.ContosoDentalDomain;

    private UserProvisioning Provisioning => new(fx.Get<GraphCalls>(), fx.Get<UserOperations>(), fx.Get<LicenseOperations>(),
        fx.Get<ManagerOperations>(), fx.Get<GroupOperations>(), NullLogger<UserProvisioning>.Instance);

    [Fact]
    public async Task ProvisionAsync_EveryFieldAndStep_ReachesTheTenant()
    {
        var sku = (await fx.Get<LicenseOperations>().ListSkusAsync(EmulatorFixture.Small, Ct)).Value!.First(s => s.Available > 0 && s.AssignableToUsers);
        var members = fx.SmallTenant.Users().Where(u => u.Str("userType") == "Member" && u.Bool("accountEnabled") == true).ToList();
        var manager = members[0];
        var source = members.OrderByDescending(u => fx.SmallTenant.Groups().Count(g => fx.SmallTenant.GroupMemberIds(g.Str("id")!).Contains(u.Str("id")!))).First();
        var alias = "p" + Guid.NewGuid().ToString("N")[..10];
        var user = new NewUser($"Pat {alias}", $"{alias}@{Domain}", Password)
        {
            MailNickname = alias,
            GivenName = "Pat",
            Surname = alias,
            JobTitle = "Hygienist",
            Department = "Clinic",
            CompanyName = "Contoso Dental",
            StreetAddress = "1 High St",
            City = "Leeds",
            State = "West Yorkshire",
            PostalCode = "LS1 1AA",
            Country = "United Kingdom",
            MobilePhone = "+44 7700 900000",
            BusinessPhones = ["+44 113 000 0000"],
            UsageLocation = "GB",
            OtherMails = ["pat.home@example.com"],
            ForceChangePasswordNextSignIn = true,
        };
        var request = new ProvisioningRequest(user)
        {
            Aliases = [alias + ".a", alias + ".b"],
            Licenses = [sku.SkuId],
            Manager = manager.Str("userPrincipalName"),
            CopyGroupsFrom = source.Str("userPrincipalName"),
            CustomAttributes = new Dictionary<string, string> { ["employeeId"] = "E12345" },
        };

        var result = await Provisioning.ProvisionAsync(EmulatorFixture.Small, request, Ct);

        Assert.True(result.AllSucceeded, string.Join(" | ", result.Steps.Select(s => $"{s.Kind}: {s.Message}")));
        Assert.Equal([ProvisioningStepKind.Create, ProvisioningStepKind.Aliases, ProvisioningStepKind.Licenses, ProvisioningStepKind.Manager,
            ProvisioningStepKind.CopyGroups, ProvisioningStepKind.CustomAttributes], result.Steps.Select(s => s.Kind));
        var stored = fx.SmallTenant.FindUser(result.User!.Id)!;
        Assert.Equal($"Pat {alias}", stored.Str("displayName"));
        Assert.Equal(alias, stored.Str("mailNickname"));
        Assert.Equal("Pat", stored.Str("givenName"));
        Assert.Equal(alias, stored.Str("surname"));
        Assert.Equal("Hygienist", stored.Str("jobTitle"));
        Assert.Equal("Clinic", stored.Str("department"));
        Assert.Equal("Contoso Dental", stored.Str("companyName"));
        Assert.Equal("1 High St", stored.Str("streetAddress"));
        Assert.Equal("Leeds", stored.Str("city"));
        Assert.Equal("West Yorkshire", stored.Str("state"));
        Assert.Equal("LS1 1AA", stored.Str("postalCode"));
        Assert.Equal("United Kingdom", stored.Str("country"));
        Assert.Equal("+44 7700 900000", stored.Str("mobilePhone"));
        Assert.Equal("+44 113 000 0000", (string?)stored["businessPhones"]![0]);
        Assert.Equal("GB", stored.Str("usageLocation"));
        Assert.Equal("pat.home@example.com", (string?)stored["otherMails"]![0]);
        Assert.Equal("E12345", stored.Str("employeeId"));
        Assert.Equal(sku.SkuId.ToString(), (string?)stored["assignedLicenses"]![0]!["skuId"], ignoreCase: true);
        Assert.Equal(manager.Str("id"), fx.SmallTenant.ManagerIdOf(result.User.Id));
        Assert.Contains(fx.SmallTenant.Groups(), g => fx.SmallTenant.GroupMemberIds(g.Str("id")!).Contains(result.User.Id));
    }

    [Fact]
    public async Task ProvisionAsync_FailedStep_DoesNotStopOthers_AndRetryRunsOnlyThatStep()
    {
        var sku = (await fx.Get<LicenseOperations>().ListSkusAsync(EmulatorFixture.Small, Ct)).Value!.First(s => s.Available > 0 && s.AssignableToUsers);
        var user = New(Domain) with { UsageLocation = null };
        var request = new ProvisioningRequest(user)
        {
            Licenses = [sku.SkuId],
            CustomAttributes = new Dictionary<string, string> { ["employeeId"] = "E777" },
        };

        var result = await Provisioning.ProvisionAsync(EmulatorFixture.Small, request, Ct);

        Assert.True(result.Created);
        var licences = Assert.Single(result.Steps, s => s.Kind == ProvisioningStepKind.Licenses);
        Assert.False(licences.Succeeded);
        Assert.True(result.Steps.Single(s => s.Kind == ProvisioningStepKind.CustomAttributes).Succeeded);
        Assert.Equal("E777", fx.SmallTenant.FindUser(result.User!.Id)!.Str("employeeId"));

        var fixedLocation = await fx.Get<UserOperations>().UpdateAsync(EmulatorFixture.Small, result.User.Id, new UserChanges { UsageLocation = "GB" }, Ct);
        Assert.True(fixedLocation.Succeeded, fixedLocation.Failure?.Message);
        var usersBefore = fx.SmallTenant.UserCount;
        var retried = await Provisioning.RunStepAsync(EmulatorFixture.Small, result.User.Id, user.UserPrincipalName, ProvisioningStepKind.Licenses, request, Ct);

        Assert.True(retried.Succeeded, retried.Message);
        Assert.Equal(usersBefore, fx.SmallTenant.UserCount);
        Assert.Single(fx.SmallTenant.FindUser(result.User.Id)!["assignedLicenses"]!.AsArray());
    }

    [Fact]
    public async Task ProvisionAsync_CreateRefused_RunsNothingElse()
    {
        var request = new ProvisioningRequest(New("not-a-domain-of-this-tenant.example")) { Licenses = [Guid.NewGuid()], Manager = "x@" + Domain };

        var result = await Provisioning.ProvisionAsync(EmulatorFixture.Small, request, Ct);

        Assert.False(result.Created);
        var step = Assert.Single(result.Steps);
        Assert.Equal(ProvisioningStepKind.Create, step.Kind);
        Assert.False(step.Succeeded);
        Assert.DoesNotContain(Password, step.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunStepAsync_Create_IsNeverRunAgain()
    {
        var step = await Provisioning.RunStepAsync(EmulatorFixture.Small, "id", "x@" + Domain, ProvisioningStepKind.Create, new ProvisioningRequest(New(Domain)), Ct);

        Assert.False(step.Succeeded);
    }
}
