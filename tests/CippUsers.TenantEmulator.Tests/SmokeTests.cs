namespace CippUsers.TenantEmulator.Tests;

public class SmokeTests
{
    [Fact]
    public void Build_Compiles() => Assert.True(true);
}
