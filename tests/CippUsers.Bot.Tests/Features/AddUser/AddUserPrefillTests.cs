using CippUsers.Bot.Features.AddUser;

namespace CippUsers.Bot.Tests.Features.AddUser;

public class AddUserPrefillTests
{
    public static TheoryData<string, string, string> SeedKeys => new()
    {
        { "businessPhones", AddUserForm.BusinessPhone, "+31 20 123 4567" },
        { "city", AddUserForm.City, "Rotterdam" },
        { "companyName", AddUserForm.CompanyName, "Contoso B.V." },
        { "country", AddUserForm.Country, "Netherlands" },
        { "department", AddUserForm.Department, "Sales & Marketing" },
        { "displayName", AddUserForm.DisplayName, "Jan de Vries" },
        { "givenName", AddUserForm.GivenName, "Jan" },
        { "jobTitle", AddUserForm.JobTitle, "Account manager" },
        { "mailNickname", AddUserForm.Username, "jan.devries" },
        { "mobilePhone", AddUserForm.MobilePhone, "+31 6 1234 5678" },
        { "postalCode", AddUserForm.PostalCode, "3011 AA" },
        { "streetAddress", AddUserForm.StreetAddress, "Coolsingel 40" },
        { "surname", AddUserForm.Surname, "de Vries" },
        { "usageLocation", AddUserForm.UsageLocation, "NL" },
        { "primDomain", AddUserForm.Domain, "contoso.nl" },
    };

    [Theory]
    [MemberData(nameof(SeedKeys))]
    public void EachSeedKey_InChat_UrlDecodedAndCaseInsensitive(string key, string field, string value)
    {
        var parsed = AddUserPrefill.FromArguments($"{key.ToUpperInvariant()}={Uri.EscapeDataString(value)}");

        Assert.Equal(value, parsed.Values[field]);
        Assert.Empty(parsed.UnknownKeys);
    }

    [Theory]
    [MemberData(nameof(SeedKeys))]
    public void EachSeedKey_ThroughTheDeepLinkCommand_RoundTrips(string key, string field, string value)
    {
        var link = AddUserSetup.DeepLink("bot-app-id", [(key, value)]);
        var message = Uri.UnescapeDataString(new Uri(link).Query.Split("message=")[1]);

        Assert.StartsWith("add user ", message, StringComparison.Ordinal);
        Assert.Equal(value, AddUserPrefill.FromArguments(message["add user ".Length..]).Values[field]);
        Assert.StartsWith("https://teams.microsoft.com/l/chat/0/0?users=28%3Abot-app-id", link.Replace("28:", "28%3A", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void CustomerId_SelectsTheTenant_AndWinsOverABareWord()
    {
        Assert.Equal("contoso.onmicrosoft.com", AddUserPrefill.FromArguments("customerid=contoso.onmicrosoft.com city=Leeds").Tenant);
        Assert.Equal("fabrikam", AddUserPrefill.FromArguments("fabrikam city=Leeds").Tenant);
        Assert.Equal("c0ffee00-0000-0000-0000-000000000001", AddUserPrefill.FromArguments("other customerId=c0ffee00-0000-0000-0000-000000000001").Tenant);
    }

    [Fact]
    public void AddedAliasses_SplitOnEncodedLineBreaks()
    {
        var parsed = AddUserPrefill.FromArguments("addedAliasses=jan%0Aj.devries%0Asales");

        Assert.Equal(["jan", "j.devries", "sales"], new AddUserForm(parsed.Values).AliasList);
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("TRUE", "true")]
    [InlineData("1", "true")]
    [InlineData("false", "false")]
    public void MustChangePass_IsABoolean(string given, string expected)
    {
        Assert.Equal(expected, AddUserPrefill.FromArguments("mustchangepass=" + given).Values[AddUserForm.MustChangePass]);
    }

    [Fact]
    public void UnknownKeys_AreListedBack_NotDropped()
    {
        var parsed = AddUserPrefill.FromArguments("contoso city=Leeds favouriteColour=blue addedAliases=x");

        Assert.Equal(["favouriteColour", "addedAliases"], parsed.UnknownKeys);
        Assert.Equal("Leeds", parsed.Values[AddUserForm.City]);
    }

    [Fact]
    public void QuotedValues_KeepTheirSpaces()
    {
        Assert.Equal("New York", AddUserPrefill.FromArguments("contoso city=\"New York\"").Values[AddUserForm.City]);
    }

    [Fact]
    public void AllEighteenSeedKeysAreKnown()
    {
        Assert.Equal(18, AddUserPrefill.Keys.Count);
    }
}
