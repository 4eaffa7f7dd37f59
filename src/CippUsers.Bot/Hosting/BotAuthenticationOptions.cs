namespace CippUsers.Bot.Hosting;

/// <summary>The Bot Framework identity, read from the flat MicrosoftApp* keys Bot Framework uses. No MicrosoftAppId
/// means demo mode.</summary>
public sealed class BotAuthenticationOptions
{
    public const string SingleTenant = "SingleTenant";
    public const string UserAssignedMsi = "UserAssignedMSI";

    /// <summary>SingleTenant (client secret or certificate) or UserAssignedMSI (managed identity).</summary>
    public string? MicrosoftAppType { get; set; }

    /// <summary>The bot's Entra app (client) id; also the audience of every inbound token.</summary>
    public string? MicrosoftAppId { get; set; }

    public string? MicrosoftAppPassword { get; set; }

    /// <summary>Thumbprint of a certificate in CurrentUser\My (or LocalMachine\My) used instead of a password.</summary>
    public string? MicrosoftAppCertificateThumbprint { get; set; }

    /// <summary>The MSP's own tenant: the bot's app registration lives there and only its users may talk to the bot.</summary>
    public string? MicrosoftAppTenantId { get; set; }

    public bool IsDemo => string.IsNullOrWhiteSpace(MicrosoftAppId);

    public bool UsesManagedIdentity => string.Equals(MicrosoftAppType, UserAssignedMsi, StringComparison.OrdinalIgnoreCase);

    public bool UsesCertificate => !string.IsNullOrWhiteSpace(MicrosoftAppCertificateThumbprint);

    public string EffectiveAppType => string.IsNullOrWhiteSpace(MicrosoftAppType) ? SingleTenant : MicrosoftAppType;
}
