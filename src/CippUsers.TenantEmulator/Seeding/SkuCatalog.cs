using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Seeding;

/// <summary>Real Microsoft 365 SKU ids, part numbers and a few of their service plans.</summary>
internal static class SkuCatalog
{
    private static readonly ServicePlan ExchangeStandard = new("9aaf7827-d63c-4b61-89c3-182f06f82e5c", "EXCHANGE_S_STANDARD");
    private static readonly ServicePlan ExchangeEnterprise = new("efb87545-963c-4e0d-99df-69c6916d9eb0", "EXCHANGE_S_ENTERPRISE");
    private static readonly ServicePlan ExchangeDeskless = new("4a82b400-a79f-41a4-b4e2-e94f5787b113", "EXCHANGE_S_DESKLESS");
    private static readonly ServicePlan SharePointStandard = new("c7699d2e-19aa-44de-8edf-1736da088ca1", "SHAREPOINTSTANDARD");
    private static readonly ServicePlan SharePointEnterprise = new("5dbe027f-2339-4123-9542-606e4d348a72", "SHAREPOINTENTERPRISE");
    private static readonly ServicePlan Teams = new("57ff2da0-773e-42df-b2af-ffb7a2317929", "TEAMS1");
    private static readonly ServicePlan OfficeApps = new("43de0ff5-c92c-492b-9116-175376d08c38", "OFFICESUBSCRIPTION");
    private static readonly ServicePlan Intune = new("c1ec4a95-1f05-45b3-a911-aa3fa01094f5", "INTUNE_A");
    private static readonly ServicePlan EntraP1 = new("41781fb2-bc02-4b7c-bd55-b576c07bb09d", "AAD_PREMIUM");
    private static readonly ServicePlan PowerBiFree = new("2049e525-b859-401b-b2a0-e0a31c4b1fe4", "BI_AZURE_P0");

    public static readonly IReadOnlyDictionary<string, (string SkuId, ServicePlan[] Plans)> Skus = new Dictionary<string, (string, ServicePlan[])>
    {
        ["O365_BUSINESS_PREMIUM"] = ("f245ecc8-75af-4f8e-b61f-27d8114de5f3", [ExchangeStandard, SharePointStandard, Teams, OfficeApps]),
        ["O365_BUSINESS_ESSENTIALS"] = ("3b555118-da6a-4418-894f-7df1e2096870", [ExchangeStandard, SharePointStandard, Teams]),
        ["SPB"] = ("cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", [ExchangeStandard, SharePointStandard, Teams, OfficeApps, Intune, EntraP1]),
        ["SPE_E3"] = ("05e9a617-0261-4cee-bb44-138d3ef5d965", [ExchangeEnterprise, SharePointEnterprise, Teams, OfficeApps, Intune, EntraP1]),
        ["SPE_E5"] = ("06ebc4ee-1bb5-47dd-8120-11324bc54e06", [ExchangeEnterprise, SharePointEnterprise, Teams, OfficeApps, Intune, EntraP1]),
        ["SPE_F1"] = ("66b55226-6b4f-492c-910c-a3b7a3c9d993", [ExchangeDeskless, Teams, Intune, EntraP1]),
        ["EXCHANGESTANDARD"] = ("4b9405b0-7788-4568-add1-99614e613b69", [ExchangeStandard]),
        ["ENTERPRISEPACK"] = ("6fd2c87f-b296-42f0-b197-1e91e994b900", [ExchangeEnterprise, SharePointEnterprise, Teams, OfficeApps]),
        ["POWER_BI_STANDARD"] = ("a403ebcc-fae0-4ca2-8c8c-7a907fd6c235", [PowerBiFree]),
    };
}
