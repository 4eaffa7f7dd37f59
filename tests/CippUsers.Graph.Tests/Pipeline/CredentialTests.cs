using CippUsers.Graph.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CippUsers.Graph.Tests.Infrastructure.TestUsers;

namespace CippUsers.Graph.Tests.Pipeline;

public class CredentialTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task WrongCertificateThumbprint_NothingReachesGraph()
    {
        await using var sp = GraphTestHost.Create(fx.Emulator, new Dictionary<string, string?>
        {
            ["Graph:TrustedCertificateThumbprint"] = new string('A', 64),
        });
        fx.Emulator.Journal.Reset();

        var result = await sp.GetRequiredService<UserOperations>().GetAsync(EmulatorFixture.Small, "x@contosodental.com", Ct);

        Assert.False(result.Succeeded);
        Assert.True(result.Failure.Kind is GraphFailureKind.Unauthorized or GraphFailureKind.Unavailable, result.Failure.Kind.ToString());
        Assert.Empty(fx.Emulator.Journal.Entries);
    }

    [Fact]
    public async Task WrongClientSecret_IsUnauthorized()
    {
        await using var sp = GraphTestHost.Create(fx.Emulator, new Dictionary<string, string?>
        {
            ["Graph:Partner:ClientSecret"] = "wrong-secret",
        });

        var result = await sp.GetRequiredService<UserOperations>().GetAsync(EmulatorFixture.Small, "x@contosodental.com", Ct);

        Assert.Equal(GraphFailureKind.Unauthorized, result.Failure!.Kind);
        Assert.DoesNotContain("wrong-secret", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TenantClients_CachesOneClientPerTenant()
    {
        var clients = fx.Get<TenantClients>();

        Assert.Same(clients.For(EmulatorFixture.Small), clients.For(EmulatorFixture.Small.ToUpperInvariant()));
        Assert.NotSame(clients.For(EmulatorFixture.Small), clients.For(EmulatorFixture.Medium));
        Assert.Throws<ArgumentException>(() => clients.For(Guid.NewGuid().ToString()));
    }
}
