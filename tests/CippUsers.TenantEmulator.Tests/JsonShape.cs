using System.Text.Json;
using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Tests;

/// <summary>Asserts an answer has the keys and JSON types of Graph's documented example.</summary>
internal static class JsonShape
{
    public static void Matches(string documentedExample, JsonNode? actual) => Matches(JsonNode.Parse(documentedExample), actual, "$");

    private static void Matches(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is null || actual is null)
        {
            return;
        }

        switch (expected)
        {
            case JsonObject expectedObject:
                var actualObject = Assert.IsType<JsonObject>(actual, exactMatch: false);
                foreach (var (key, value) in expectedObject)
                {
                    Assert.True(actualObject.ContainsKey(key), $"{path}: missing key '{key}' (has {string.Join(", ", actualObject.Select(p => p.Key))})");
                    Matches(value, actualObject[key], $"{path}.{key}");
                }

                break;
            case JsonArray expectedArray:
                var actualArray = Assert.IsType<JsonArray>(actual, exactMatch: false);
                if (expectedArray.Count > 0 && actualArray.Count > 0)
                {
                    var type = expectedArray[0] is JsonObject typed ? (string?)typed["@odata.type"] : null;
                    var sample = type is null ? actualArray[0] : actualArray.FirstOrDefault(a => a is JsonObject o && (string?)o["@odata.type"] == type) ?? actualArray[0];
                    Matches(expectedArray[0], sample, $"{path}[0]");
                }

                break;
            default:
                var expectedKind = Kind(expected.GetValueKind());
                var actualKind = Kind(actual.GetValueKind());
                Assert.True(expectedKind == actualKind, $"{path}: expected a {expectedKind}, got a {actualKind} ({actual.ToJsonString()})");
                break;
        }
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString(),
    };
}
