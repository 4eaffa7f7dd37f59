namespace CippUsers.TenantEmulator;

/// <summary>A customer tenant the emulator serves.</summary>
public sealed record EmulatedTenantInfo(string TenantId, string DisplayName, string DefaultDomain, string InitialDomain, int UserCount);
