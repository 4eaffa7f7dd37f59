namespace CippUsers.Graph.Tests.Unit;

public class UserQueryTests
{
    [Fact]
    public void FilterOf_CombinesQuickFiltersWithAnd()
    {
        var sku = Guid.Parse("c7df2760-2c81-4ef7-b578-5b5392b571df");
        var filter = UserOperations.FilterOf(new UserQuery { AccountEnabled = false, UserType = "Guest", HasSkuId = sku });

        Assert.Equal($"accountEnabled eq false and userType eq 'Guest' and assignedLicenses/any(x:x/skuId eq {sku})", filter);
    }

    [Fact]
    public void FilterOf_NothingSet_IsNull() => Assert.Null(UserOperations.FilterOf(new UserQuery()));

    [Fact]
    public void SearchOf_QuotesEachClauseAndDropsQuotesFromText()
    {
        var search = UserOperations.SearchOf("an\"n");

        Assert.Equal("\"displayName:ann\" OR \"userPrincipalName:ann\" OR \"mail:ann\"", search);
    }

    [Fact]
    public void Quote_DoublesSingleQuotes() => Assert.Equal("'o''brien'", UserOperations.Quote("o'brien"));
}
