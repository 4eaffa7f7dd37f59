using CippUsers.Bot.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Tests.Features.Sherweb;

/// Wrong Sherweb settings stop the bot at start with a message naming the setting.
public sealed class SherwebSettingsTests
{
    [Theory]
    [InlineData("Sherweb:AllowedRoles:0", "boss", "Sherweb:AllowedRoles has 'boss'")]
    [InlineData("Sherweb:AssignmentCheck:MaxChecks", "0", "Sherweb:AssignmentCheck:MaxChecks")]
    [InlineData("Sherweb:Enabled", "true", "Sherweb:ClientId is required")]
    [InlineData("Sherweb:AnswerReconcileWait", "00:05:00", "Sherweb:PurchaseLockTimeout must be at least 1 second longer than Sherweb:AnswerReconcileWait")]
    public async Task InvalidSettings_StopStartUp(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(async () =>
        {
            await using var bot = await BotHarness.StartAsync(o => o.Settings[key] = value);
        });

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
