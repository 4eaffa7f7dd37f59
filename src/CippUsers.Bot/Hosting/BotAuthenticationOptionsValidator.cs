using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Hosting;

internal sealed class BotAuthenticationOptionsValidator : IValidateOptions<BotAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, BotAuthenticationOptions options)
    {
        var failures = new List<string>();
        if (options.IsDemo)
        {
            // Half-configured credentials would silently fall back to demo mode: refuse that.
            if (!string.IsNullOrWhiteSpace(options.MicrosoftAppPassword) || options.UsesCertificate || !string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId))
            {
                failures.Add("MicrosoftAppId is missing but other MicrosoftApp* settings are set. Set MicrosoftAppId for production, or remove the other MicrosoftApp* settings for demo mode.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        if (!Guid.TryParse(options.MicrosoftAppId, out _))
        {
            failures.Add("MicrosoftAppId must be the bot's Entra application (client) id, a GUID.");
        }

        if (!Guid.TryParse(options.MicrosoftAppTenantId, out _))
        {
            failures.Add("MicrosoftAppTenantId must be the MSP's Entra tenant id (a GUID): the bot is single-tenant.");
        }

        var appType = options.EffectiveAppType;
        if (!string.Equals(appType, BotAuthenticationOptions.SingleTenant, StringComparison.OrdinalIgnoreCase) && !options.UsesManagedIdentity)
        {
            failures.Add($"MicrosoftAppType must be '{BotAuthenticationOptions.SingleTenant}' or '{BotAuthenticationOptions.UserAssignedMsi}' (multi-tenant bots can no longer be created).");
        }
        else if (!options.UsesManagedIdentity && string.IsNullOrWhiteSpace(options.MicrosoftAppPassword) && !options.UsesCertificate)
        {
            failures.Add("MicrosoftAppPassword or MicrosoftAppCertificateThumbprint is required when MicrosoftAppType is SingleTenant.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
