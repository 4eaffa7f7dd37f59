using System.Text.Json;
using System.Text.Json.Serialization;

namespace CippUsers.Bot.Storage;

/// <summary>How JSON columns are written: camelCase, enums by name.</summary>
internal static class StorageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException("A stored JSON column was null.");

    public static T? DeserializeOrNull<T>(string? json) where T : class =>
        json is null ? null : JsonSerializer.Deserialize<T>(json, Options);
}
