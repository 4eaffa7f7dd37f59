using System.Text.Json.Nodes;

namespace CippUsers.Graph.Tests.Infrastructure;

internal static class TestUsers
{
    public const string Password = "Xq7!mP2#vL9@wR4z";

    public static NewUser New(string domain, string? prefix = null)
    {
        var alias = (prefix ?? "t") + Guid.NewGuid().ToString("N")[..10];
        return new NewUser($"Test {alias}", $"{alias}@{domain}", Password) { UsageLocation = "GB", GivenName = "Test", Surname = alias };
    }

    public static string? Str(this JsonObject o, string name) => (string?)o[name];

    public static bool? Bool(this JsonObject o, string name) => o[name]?.GetValue<bool>();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
