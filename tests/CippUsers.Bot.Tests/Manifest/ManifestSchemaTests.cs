using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace CippUsers.Bot.Tests.Manifest;

public sealed class ManifestSchemaTests
{
    // The published 1.29 schema declares draft-04 but uses draft-06+ keywords (const) and nothing draft-04-only
    // (no boolean exclusiveMinimum/Maximum, no "id"): JsonSchema.Net evaluates it as draft-07.
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        var node = JsonNode.Parse(File.ReadAllText(ManifestFiles.SchemaPath))!.AsObject();
        node["$schema"] = "http://json-schema.org/draft-07/schema#";
        // A registry of its own, so that this schema never collides with others built in the same test run.
        return JsonSchema.FromText(node.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    });

    [Fact]
    public void Manifest_is_valid_against_the_1_29_schema()
    {
        using var manifest = ManifestFiles.LoadManifest();

        var errors = Validate(manifest.RootElement);

        Assert.True(errors.Count == 0, "manifest.json is not valid:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
    }

    [Theory]
    [InlineData("/bots/0/botId", "\"not-a-guid\"")]
    [InlineData("/manifestVersion", "\"1.17\"")]
    [InlineData("/bots/0/scopes/0", "\"meeting\"")]
    [InlineData("/accentColor", "\"blue\"")]
    public void The_schema_check_catches_a_broken_manifest(string location, string json)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(ManifestFiles.ManifestPath))!;
        Set(manifest, location, JsonNode.Parse(json));
        using var broken = JsonDocument.Parse(manifest.ToJsonString());

        Assert.NotEmpty(Validate(broken.RootElement));
    }

    private static List<string> Validate(JsonElement instance)
    {
        var result = Schema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        return (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"))
            .DefaultIfEmpty("invalid (no details)")
            .ToList();
    }

    private static void Set(JsonNode root, string location, JsonNode? value)
    {
        var parts = location.Trim('/').Split('/');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = int.TryParse(part, out var index) ? parent[index]! : parent[part]!;
        }

        if (int.TryParse(parts[^1], out var last))
        {
            parent.AsArray()[last] = value;
        }
        else
        {
            parent[parts[^1]] = value;
        }
    }
}
