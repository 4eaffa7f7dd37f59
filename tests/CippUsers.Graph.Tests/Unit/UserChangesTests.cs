using System.Text;
using Microsoft.Kiota.Serialization.Json;

namespace CippUsers.Graph.Tests.Unit;

public class UserChangesTests
{
    private static readonly TenantUser Before = new("id-1", "ann@contoso.com", "Ann Example", "ann@contoso.com", true, "Member")
    {
        JobTitle = "Nurse",
        Department = "Ward 3",
        City = "Leeds",
        UsageLocation = "GB",
    };

    [Fact]
    public void Between_SameUser_IsEmpty()
    {
        Assert.True(UserChanges.Between(Before, Before).IsEmpty);
    }

    [Fact]
    public void Between_ChangedAndEmptied_SetsChangedAndClearsEmptied()
    {
        var after = Before with { JobTitle = "Senior Nurse", City = "", DisplayName = "Ann Example" };

        var changes = UserChanges.Between(Before, after);

        Assert.Equal("Senior Nurse", changes.JobTitle);
        Assert.Null(changes.Department);
        Assert.Null(changes.DisplayName);
        Assert.Equal(["city"], changes.Clear);
        Assert.Equal(["jobTitle", "city"], changes.Changed());
    }

    [Fact]
    public void Between_EmptiedDisplayName_IsNotAClear()
    {
        var changes = UserChanges.Between(Before, Before with { DisplayName = "" });

        Assert.True(changes.IsEmpty);
    }

    [Fact]
    public void ToGraph_SerializesOnlyChangesAndExplicitNulls()
    {
        var changes = new UserChanges { Department = "ICU", Clear = new HashSet<string> { "jobTitle", "displayName" } };

        using var writer = new JsonSerializationWriter();
        writer.WriteObjectValue(null, changes.ToGraph());
        using var stream = writer.GetSerializedContent();
        var json = System.Text.Json.JsonDocument.Parse(new StreamReader(stream, Encoding.UTF8).ReadToEnd()).RootElement;

        var names = json.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith('@')).Order().ToArray();
        Assert.Equal(["department", "jobTitle"], names);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("jobTitle").ValueKind);
    }
}
