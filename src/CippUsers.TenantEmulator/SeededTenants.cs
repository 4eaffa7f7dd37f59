namespace CippUsers.TenantEmulator;

/// <summary>The fixed customer tenants every emulator serves. Ids never change between runs.</summary>
public static class SeededTenants
{
    public const string ContosoDentalId = "3f6b1c2e-8d4a-4e71-9b0c-5a2d7e9f1c01";
    public const string ContosoDentalDomain = "contosodental.com";
    public const string ContosoDentalInitialDomain = "contosodental.onmicrosoft.com";
    public const int ContosoDentalUsers = 25;

    public const string FabrikamLogisticsId = "7a9e4d21-2c5b-4f83-a6d0-1b8e3c7f2d02";
    public const string FabrikamLogisticsDomain = "fabrikamlogistics.com";
    public const string FabrikamLogisticsInitialDomain = "fabrikamlogistics.onmicrosoft.com";
    public const int FabrikamLogisticsUsers = 300;

    public const string NorthwindHealthId = "c1d2e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e03";
    public const string NorthwindHealthDomain = "northwindhealth.org";
    public const string NorthwindHealthInitialDomain = "northwindhealth.onmicrosoft.com";
    public const int NorthwindHealthUsers = 20_000;

    /// <summary>The application (client) id the emulator accepts unless settings say otherwise.</summary>
    public const string DefaultClientId = "5b1c8f2e-0d7a-4c3e-9f61-2a4b6c8d0e10";

    /// <summary>The client secret the emulator accepts unless settings say otherwise (a test value, not a real secret).</summary>
    public const string DefaultClientSecret = "emulator-client-secret";
}
