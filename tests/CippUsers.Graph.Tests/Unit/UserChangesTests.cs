using System.Text;

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
    public void ToGraph_OnTheWire_CarriesOnlyChangesAndExplicitNulls()
    {
        var changes = new UserChanges { Department = "ICU", Clear = new HashSet<string> { "jobTitle", "displayName" } };

        var json = Wire(client => client.Users["id-1"].ToPatchRequestInformation(changes.ToGraph()));

        var names = json.EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(["department", "jobTitle"], names);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("jobTitle").ValueKind);
    }

    [Fact]
    public void CreateBody_OnTheWire_HasNoNullProperties()
    {
        var user = new NewUser("Ann Example", "ann@contoso.com", "Secret-123!") { UsageLocation = "GB" };

        var json = Wire(client => client.Users.ToPostRequestInformation(UserOperations.ToGraph(user)));

        Assert.DoesNotContain(json.EnumerateObject(), p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.DoesNotContain(json.EnumerateObject(), p => p.Name.StartsWith('@'));
        Assert.Equal("ann", json.GetProperty("mailNickname").GetString());
        Assert.Equal("GB", json.GetProperty("usageLocation").GetString());
    }

    // Serialized exactly as the SDK sends it (its backing store writes every assigned property, null included).
    private static System.Text.Json.JsonElement Wire(Func<Microsoft.Graph.GraphServiceClient, Microsoft.Kiota.Abstractions.RequestInformation> build)
    {
        using var http = new HttpClient();
        var client = new Microsoft.Graph.GraphServiceClient(http, new Microsoft.Kiota.Abstractions.Authentication.AnonymousAuthenticationProvider());
        var info = build(client);
        using var reader = new StreamReader(info.Content, Encoding.UTF8);
        return System.Text.Json.JsonDocument.Parse(reader.ReadToEnd()).RootElement.Clone();
    }
}
