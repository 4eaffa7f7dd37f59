namespace CippUsers.Graph;

/// <summary>Friendly product names for common SKU part numbers (Microsoft's licensing service plan reference).</summary>
public static class SkuNames
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["O365_BUSINESS_ESSENTIALS"] = "Microsoft 365 Business Basic",
        ["O365_BUSINESS_PREMIUM"] = "Microsoft 365 Business Standard",
        ["O365_BUSINESS"] = "Microsoft 365 Apps for business",
        ["SPB"] = "Microsoft 365 Business Premium",
        ["SMB_BUSINESS_PREMIUM"] = "Microsoft 365 Business Premium",
        ["STANDARDPACK"] = "Office 365 E1",
        ["ENTERPRISEPACK"] = "Office 365 E3",
        ["ENTERPRISEPREMIUM"] = "Office 365 E5",
        ["DESKLESSPACK"] = "Office 365 F3",
        ["SPE_E3"] = "Microsoft 365 E3",
        ["SPE_E5"] = "Microsoft 365 E5",
        ["SPE_F1"] = "Microsoft 365 F3",
        ["M365_F1"] = "Microsoft 365 F1",
        ["OFFICESUBSCRIPTION"] = "Microsoft 365 Apps for enterprise",
        ["EXCHANGESTANDARD"] = "Exchange Online (Plan 1)",
        ["EXCHANGEENTERPRISE"] = "Exchange Online (Plan 2)",
        ["EXCHANGEARCHIVE_ADDON"] = "Exchange Online Archiving",
        ["EXCHANGEDESKLESS"] = "Exchange Online Kiosk",
        ["EMS"] = "Enterprise Mobility + Security E3",
        ["EMSPREMIUM"] = "Enterprise Mobility + Security E5",
        ["AAD_PREMIUM"] = "Microsoft Entra ID P1",
        ["AAD_PREMIUM_P2"] = "Microsoft Entra ID P2",
        ["INTUNE_A"] = "Microsoft Intune Plan 1",
        ["ATP_ENTERPRISE"] = "Microsoft Defender for Office 365 (Plan 1)",
        ["THREAT_INTELLIGENCE"] = "Microsoft Defender for Office 365 (Plan 2)",
        ["POWER_BI_PRO"] = "Power BI Pro",
        ["POWER_BI_STANDARD"] = "Power BI (free)",
        ["PROJECTPROFESSIONAL"] = "Project Plan 3",
        ["VISIOCLIENT"] = "Visio Plan 2",
        ["MCOEV"] = "Microsoft Teams Phone Standard",
        ["MCOMEETADV"] = "Microsoft 365 Audio Conferencing",
        ["PHONESYSTEM_VIRTUALUSER"] = "Microsoft Teams Phone Resource Account",
        ["TEAMS_EXPLORATORY"] = "Microsoft Teams Exploratory",
        ["Microsoft_Teams_Enterprise_New"] = "Microsoft Teams Enterprise",
        ["FLOW_FREE"] = "Microsoft Power Automate Free",
        ["STREAM"] = "Microsoft Stream",
        ["WINDOWS_STORE"] = "Windows Store for Business",
        ["RIGHTSMANAGEMENT"] = "Azure Information Protection Plan 1",
        ["DEFENDER_ENDPOINT_P1"] = "Microsoft Defender for Endpoint P1",
        ["MDATP_XPLAT"] = "Microsoft Defender for Endpoint P2",
    };

    /// <summary>The product name for <paramref name="skuPartNumber"/>, or the part number itself when unknown.</summary>
    public static string Friendly(string? skuPartNumber) =>
        skuPartNumber is null ? "Unknown licence" : Names.GetValueOrDefault(skuPartNumber, skuPartNumber);
}
