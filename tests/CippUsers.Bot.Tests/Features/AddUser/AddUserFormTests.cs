using CippUsers.Bot.Features.AddUser;

namespace CippUsers.Bot.Tests.Features.AddUser;

public class AddUserFormTests
{
    private static readonly string[] Domains = ["contoso.com", "contoso.onmicrosoft.com"];

    private static AddUserForm Form(params (string Key, string Value)[] values)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AddUserForm.GivenName] = "Jane",
            [AddUserForm.Surname] = "Doe",
            [AddUserForm.Username] = "jane.doe",
            [AddUserForm.Domain] = "contoso.com",
        };
        foreach (var (k, v) in values)
            all[k] = v;
        return new AddUserForm(all);
    }

    [Fact]
    public void ValidForm_HasNoErrors_AndDisplayNameComesFromTheNames()
    {
        var form = Form();

        Assert.Empty(form.Validate(Domains, null));
        Assert.Equal("Jane Doe", form.EffectiveDisplayName);
        Assert.Equal("jane.doe@contoso.com", form.UserPrincipalName);
    }

    [Theory]
    [InlineData(AddUserForm.Username, "", AddUserForm.Username)]
    [InlineData(AddUserForm.Username, "jane doe", AddUserForm.Username)]
    [InlineData(AddUserForm.Username, "jane(doe)", AddUserForm.Username)]
    [InlineData(AddUserForm.Username, ".jane", AddUserForm.Username)]
    [InlineData(AddUserForm.Domain, "", AddUserForm.Domain)]
    [InlineData(AddUserForm.Domain, "fabrikam.com", AddUserForm.Domain)]
    [InlineData(AddUserForm.Aliases, "sales\nsales", AddUserForm.Aliases)]
    [InlineData(AddUserForm.Aliases, "bad(alias)", AddUserForm.Aliases)]
    [InlineData(AddUserForm.Aliases, "x@unverified.com", AddUserForm.Aliases)]
    [InlineData(AddUserForm.Aliases, "jane.doe", AddUserForm.Aliases)]
    [InlineData(AddUserForm.OtherMails, "not-an-email", AddUserForm.OtherMails)]
    [InlineData(AddUserForm.UsageLocation, "Netherlands", AddUserForm.UsageLocation)]
    [InlineData(AddUserForm.GivenName, "", null)]
    public void EachRule_IsReportedOnItsField(string field, string value, string? errorField)
    {
        var errors = Form((field, value)).Validate(Domains, null);

        if (errorField is null)
            Assert.Empty(errors);
        else
            Assert.Contains(errorField, errors.Keys);
    }

    [Fact]
    public void NoNames_NoDisplayName_IsRequired()
    {
        var errors = Form((AddUserForm.GivenName, ""), (AddUserForm.Surname, "")).Validate(Domains, null);

        Assert.Contains(AddUserForm.DisplayName, errors.Keys);
    }

    [Fact]
    public void TooLongFields_AreRefused()
    {
        var errors = Form((AddUserForm.JobTitle, new string('x', 129)), (AddUserForm.PostalCode, new string('1', 41))).Validate(Domains, null);

        Assert.Contains(AddUserForm.JobTitle, errors.Keys);
        Assert.Contains(AddUserForm.PostalCode, errors.Keys);
    }

    [Fact]
    public void LicenseWithoutUsageLocation_IsRefused()
    {
        var errors = Form((AddUserForm.Licenses, Guid.NewGuid().ToString())).Validate(Domains, null);

        Assert.Equal("A usage location is needed to assign licenses.", errors[AddUserForm.UsageLocation]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("short")]
    [InlineData("alllowercaseletters")]
    public void TypedPassword_MustMeetComplexity_AndIsNeverEchoed(string? password)
    {
        var errors = Form((AddUserForm.PasswordMode, "typed")).Validate(Domains, password);

        Assert.Contains(AddUserForm.Password, errors.Keys);
        if (password is not null)
            Assert.DoesNotContain(password, errors[AddUserForm.Password], StringComparison.Ordinal);
    }

    [Fact]
    public void ToRequest_MapsEveryField()
    {
        var sku = Guid.NewGuid();
        var form = Form(
            (AddUserForm.JobTitle, "Dentist"), (AddUserForm.Department, "Clinic"), (AddUserForm.CompanyName, "Contoso"),
            (AddUserForm.StreetAddress, "1 Main St"), (AddUserForm.City, "Leeds"), (AddUserForm.State, "WY"),
            (AddUserForm.PostalCode, "LS1"), (AddUserForm.Country, "UK"), (AddUserForm.MobilePhone, "+44 1"),
            (AddUserForm.BusinessPhone, "+44 2"), (AddUserForm.UsageLocation, "gb"), (AddUserForm.OtherMails, "a@x.com, b@y.com"),
            (AddUserForm.Aliases, "jd\njane"), (AddUserForm.Licenses, sku.ToString()), (AddUserForm.Manager, "boss@contoso.com"),
            (AddUserForm.CopyGroupsFrom, "peer@contoso.com"), (AddUserForm.MustChangePass, "true"), (AddUserForm.AttributePrefix + "employeeId", "E1"));

        var request = form.ToRequest("Secret-Pass-123");

        var u = request.User;
        Assert.Equal(("Jane Doe", "jane.doe@contoso.com", "jane.doe"), (u.DisplayName, u.UserPrincipalName, u.MailNickname));
        Assert.Equal(("Dentist", "Clinic", "Contoso"), (u.JobTitle, u.Department, u.CompanyName));
        Assert.Equal(("1 Main St", "Leeds", "WY", "LS1", "UK"), (u.StreetAddress, u.City, u.State, u.PostalCode, u.Country));
        Assert.Equal("+44 1", u.MobilePhone);
        Assert.Equal(["+44 2"], u.BusinessPhones);
        Assert.Equal("GB", u.UsageLocation);
        Assert.Equal(["a@x.com", "b@y.com"], u.OtherMails);
        Assert.True(u.ForceChangePasswordNextSignIn);
        Assert.Equal(["jd", "jane"], request.Aliases);
        Assert.Equal([sku], request.Licenses);
        Assert.Equal("boss@contoso.com", request.Manager);
        Assert.Equal("peer@contoso.com", request.CopyGroupsFrom);
        Assert.Equal("E1", request.CustomAttributes["employeeId"]);
    }

    [Fact]
    public void Parameters_NeverHoldThePassword()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("""{"username":"jane","domain":"contoso.com","passwordMode":"typed","typedPassword":"Sup3r-Secret!"}""");

        var (form, password) = AddUserForm.FromCard(doc.RootElement);

        Assert.Equal("Sup3r-Secret!", password);
        Assert.DoesNotContain("Sup3r-Secret!", form.ToParameters().ToJsonString(), StringComparison.Ordinal);
    }
}
