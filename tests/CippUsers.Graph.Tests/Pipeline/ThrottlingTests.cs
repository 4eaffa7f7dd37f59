using System.Diagnostics;
using CippUsers.Graph.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using static CippUsers.Graph.Tests.Infrastructure.TestUsers;

namespace CippUsers.Graph.Tests.Pipeline;

/// <summary>The library's own write limiter switched off, so the emulator's 429s reach the SDK's retry handler.</summary>
public sealed class NoLimiterFixture : EmulatorFixture
{
    protected override IDictionary<string, string?>? Overrides => new Dictionary<string, string?>
    {
        ["Graph:WriteBudget:Writes"] = "100000",
        ["Graph:WriteBudget:PerSeconds"] = "1",
    };
}

public class ThrottlingTests(NoLimiterFixture fx) : IClassFixture<NoLimiterFixture>
{
    [Fact]
    public async Task Writes_Answered429_AreRetriedAfterRetryAfter()
    {
        var users = fx.Get<UserOperations>();
        var targets = fx.MediumTenant.Users().Where(u => u.Str("userType") == "Member" && u.Bool("onPremisesSyncEnabled") != true).Take(6).ToList();
        fx.MediumTenant.SetRealism(new RealismSettings { WriteBudget = 2, WriteBudgetWindow = TimeSpan.FromSeconds(2) });
        fx.Emulator.Journal.Reset();
        var watch = Stopwatch.StartNew();

        foreach (var (user, i) in targets.Select((u, i) => (u, i)))
        {
            var result = await users.UpdateAsync(EmulatorFixture.Medium, user.Str("id")!, new UserChanges { JobTitle = $"Title {i}" }, Ct);
            Assert.True(result.Succeeded, result.Failure?.Message);
        }

        var patches = fx.Emulator.Journal.Entries.Where(e => e.Method == "PATCH").ToList();
        Assert.Contains(patches, e => e.Status == 429 && e.Throttled);
        Assert.Equal(targets.Count, patches.Count(e => e.Status == 204));
        // Each 429 said Retry-After: 1; the SDK waited before the next attempt instead of retrying at once.
        for (var i = 0; i < patches.Count - 1; i++)
        {
            if (patches[i].Status == 429)
                Assert.True(patches[i + 1].At - patches[i].At >= TimeSpan.FromMilliseconds(900), "retry came before Retry-After elapsed");
        }
        Assert.All(targets.Select((u, i) => (u, i)), t => Assert.Equal($"Title {t.i}", fx.MediumTenant.FindUser(t.u.Str("id")!)!.Str("jobTitle")));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task BatchItems_Answered429_AreRetriedByTheLibrary()
    {
        var user = (await fx.Get<UserOperations>().CreateAsync(EmulatorFixture.Small, New(SeededTenants.ContosoDentalDomain), Ct)).Value!;
        var groups = new[] { "VPN Users", "IT Admins", "Sales Team", "All Staff" }.Select(n => fx.SmallTenant.FindGroup(n)!.Str("id")!).ToList();
        fx.SmallTenant.SetRealism(new RealismSettings { WriteBudget = 2, WriteBudgetWindow = TimeSpan.FromSeconds(2) });
        fx.Emulator.Journal.Reset();

        var result = await fx.Get<GroupOperations>().AddMemberToGroupsAsync(EmulatorFixture.Small, user.Id, groups, Ct);
        fx.SmallTenant.SetRealism(new RealismSettings());

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.All(result.Value!, o => Assert.Equal(GroupChangeStatus.Added, o.Status));
        Assert.All(groups, g => Assert.Contains(user.Id, fx.SmallTenant.GroupMemberIds(g)));
        var items = fx.Emulator.Journal.Entries.Where(e => e.BatchItem).ToList();
        Assert.Contains(items, e => e.Status == 429);
        Assert.Equal(groups.Count, items.Count(e => e.Status == 204));
    }

    [Fact]
    public async Task InjectedServiceUnavailable_IsRetriedTransparently()
    {
        fx.MediumTenant.SetRealism(new RealismSettings { FaultRate = 0.2, Faults = [InjectedFault.ServiceUnavailable] });
        fx.Emulator.Journal.Reset();
        var users = fx.Get<UserOperations>();
        var ids = fx.MediumTenant.Users().Take(15).Select(u => u.Str("id")!).ToList();

        try
        {
            foreach (var id in ids)
            {
                var result = await users.GetAsync(EmulatorFixture.Medium, id, Ct);
                Assert.True(result.Succeeded, result.Failure?.Message);
            }
        }
        finally
        {
            fx.MediumTenant.SetRealism(new RealismSettings());
        }

        Assert.Contains(fx.Emulator.Journal.Entries, e => e.Status == 503);
    }

    [Fact]
    public async Task CreateRun_WithoutLocalLimiter_RunsInto429s()
    {
        // The contrast to WriteBudgetTests: same emulator budget, no local bucket, so Graph's 429s do the pacing.
        const int count = 100;
        fx.SmallTenant.SetRealism(BudgetFixture.Realism);
        fx.Emulator.Journal.Reset();
        var users = fx.Get<UserOperations>();
        var watch = Stopwatch.StartNew();
        try
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (_, ct) =>
                await users.CreateAsync(EmulatorFixture.Small, New(SeededTenants.ContosoDentalDomain, "nolim"), ct));
        }
        finally
        {
            fx.SmallTenant.SetRealism(new RealismSettings());
        }

        var posts = fx.Emulator.Journal.Entries.Where(e => e.Method == "POST" && e.Path.EndsWith("/users", StringComparison.Ordinal)).ToList();
        var report = $"{count}-user create run without the local limiter: {watch.Elapsed.TotalSeconds:0.00} s, {posts.Count(e => e.Status == 429)} x 429 out of {posts.Count} POSTs";
        TestContext.Current.SendDiagnosticMessage(report);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "no-limiter-run.txt"), report + Environment.NewLine, Ct);
        Assert.Contains(posts, e => e.Status == 429);
    }
}
