using CippUsers.Bot.Operations;

namespace CippUsers.Bot.Tests.Operations;

public sealed class TargetRequestTests
{
    [Fact]
    public void Parse_SeveralAddresses_EachIsATarget()
    {
        var request = TargetRequest.Parse("jane@contoso.com tom@contoso.com");
        Assert.Equal(["jane@contoso.com", "tom@contoso.com"], request.Users);
        Assert.Null(request.Tenant);
        Assert.Equal("contoso.com", request.FirstDomain);
    }

    [Fact]
    public void Parse_NameInTenant_SplitsTenant()
    {
        var request = TargetRequest.Parse("jane in contoso");
        Assert.Equal(["jane"], request.Users);
        Assert.Equal("contoso", request.Tenant);
    }

    [Fact]
    public void Parse_DisplayNamesWithCommas_KeepsNamesTogether()
    {
        var request = TargetRequest.Parse("Jane Doe, Tom Smith in Contoso Ltd");
        Assert.Equal(["Jane Doe", "Tom Smith"], request.Users);
        Assert.Equal("Contoso Ltd", request.Tenant);
    }

    [Fact]
    public void Parse_LastInSeparatesTenant()
    {
        var request = TargetRequest.Parse("Lin Inman in contoso");
        Assert.Equal(["Lin Inman"], request.Users);
        Assert.Equal("contoso", request.Tenant);
    }

    [Fact]
    public void Parse_DuplicatesAndIds_Deduplicated()
    {
        var id = Guid.NewGuid().ToString();
        var request = TargetRequest.Parse($"{id} JANE@contoso.com jane@contoso.com");
        Assert.Equal([id, "JANE@contoso.com"], request.Users);
    }

    [Fact]
    public void Parse_Empty_NoUsers()
        => Assert.Empty(TargetRequest.Parse("  ").Users);
}
