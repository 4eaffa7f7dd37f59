using System.Text.Json.Nodes;
using Bogus;
using CippUsers.TenantEmulator.Seeding;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Graph.Users;

/// <summary>
/// The user's signInActivity (graph-endpoints.md §1.1 and §12.1): only returned with $select, and only in a tenant with
/// Entra ID P1 or P2; elsewhere selecting it fails with 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant.
/// </summary>
internal static class SignInActivity
{
    public const string Property = "signInActivity";

    /// <summary>The Entra ID P1 service plan (AAD_PREMIUM) that Business Premium, E3, E5 and F1 carry.</summary>
    private const string EntraPremiumPlan = "AAD_PREMIUM";

    /// <summary>True when the tenant owns a subscription with Entra ID P1 (bought seats of a SKU carrying AAD_PREMIUM).</summary>
    public static bool HasPremium(TenantData tenant) =>
        tenant.Skus.Any(s => s.Prepaid > 0 && s.Plans.Any(p => p.Name == EntraPremiumPlan));

    /// <summary>The 403 Graph sends when signInActivity is selected in a tenant without P1/P2; null when the request may go on.</summary>
    public static GraphResult? RefuseWithoutPremium(GraphCall call)
    {
        var selected = call.Option("$select") is { } select
            && select.Split(',', StringSplitOptions.TrimEntries).Contains(Property, StringComparer.OrdinalIgnoreCase);
        var filtered = call.Option("$filter") is { } filter && filter.Contains(Property, StringComparison.OrdinalIgnoreCase);
        if (!selected && !filtered)
        {
            return null;
        }

        lock (call.Tenant.Gate)
        {
            return HasPremium(call.Tenant)
                ? null
                : GraphResult.Error(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", "Neither tenant is B2C or tenant doesn't have premium license");
        }
    }

    /// <summary>
    /// Seeds plausible sign-in activity on every user: most enabled members signed in within the last weeks, some
    /// disabled users months ago, a few users never. Uses its own random source so the rest of the seed is unchanged.
    /// </summary>
    public static void Seed(TenantData tenant, int seed, int profileIndex, DateTimeOffset epoch)
    {
        var random = new Randomizer(seed + (profileIndex * 7919) + 104_729);
        foreach (var user in tenant.Users)
        {
            var enabled = user.Data["accountEnabled"]?.GetValue<bool>() == true;
            var guest = (string?)user.Data["userType"] == "Guest";
            var neverRoll = random.Double();
            var hoursAgo = random.Int(1, 24 * 21);
            var nonInteractiveHoursAgo = random.Int(0, 48);
            var staleDays = random.Int(60, 400);
            if (neverRoll < (guest ? 0.35 : 0.04))
            {
                user.Data[Property] = null;
                continue;
            }

            var last = enabled ? epoch.AddHours(-hoursAgo) : epoch.AddDays(-staleDays);
            var nonInteractive = enabled ? epoch.AddHours(-Math.Min(hoursAgo, nonInteractiveHoursAgo)) : last;
            user.Data[Property] = new JsonObject
            {
                ["lastSignInDateTime"] = TenantSeeder.Timestamp(last),
                ["lastSignInRequestId"] = random.Guid().ToString(),
                ["lastNonInteractiveSignInDateTime"] = TenantSeeder.Timestamp(nonInteractive),
                ["lastNonInteractiveSignInRequestId"] = random.Guid().ToString(),
                ["lastSuccessfulSignInDateTime"] = TenantSeeder.Timestamp(last),
                ["lastSuccessfulSignInRequestId"] = random.Guid().ToString(),
            };
        }
    }
}
