using System.Text;
using CippUsers.Bot.Features.Imports;

namespace CippUsers.Bot.Tests.Features.BulkAdd;

/// Reading bulk-import CSVs: every accepted template, encoding and delimiter, and the hostile inputs.
public sealed class CsvImportReaderTests
{
    private static readonly string[] UsersRequired = [ImportColumns.Username, ImportColumns.UserPrincipalName];

    private static ImportParseResult Users(byte[] bytes, int maxRows = 10_000) =>
        CsvImportReader.Read(bytes, ImportColumns.Users, UsersRequired, maxRows);

    private static ImportParseResult Users(string text, int maxRows = 10_000) => Users(Encoding.UTF8.GetBytes(text), maxRows);

    [Fact]
    public void CippTemplate_MapsEveryColumn_CaseInsensitively()
    {
        var result = Users("GIVENNAME,surName,displayName,mailNickName,domain,JobTitle,streetAddress,PostalCode,City,State,Department,MobilePhone,businessPhones\r\n" +
                           "Jane,Doe,Jane Doe,jane.doe,contoso.com,Nurse,1 Main St,10001,New York,NY,Care,+1 555,+1 556\r\n");

        Assert.True(result.Succeeded, result.Error);
        var row = Assert.Single(result.Rows);
        Assert.Equal(2, row.Line);
        Assert.Equal("Jane", row[ImportColumns.GivenName]);
        Assert.Equal("Doe", row[ImportColumns.Surname]);
        Assert.Equal("jane.doe", row[ImportColumns.Username]);
        Assert.Equal("contoso.com", row[ImportColumns.Domain]);
        Assert.Equal("Nurse", row[ImportColumns.JobTitle]);
        Assert.Equal("10001", row[ImportColumns.PostalCode]);
        Assert.Equal("+1 556", row[ImportColumns.BusinessPhone]);
        Assert.Empty(result.IgnoredColumns);
    }

    [Fact]
    public void AdminCenterTemplate_UserNameIsTheUpn()
    {
        var result = Users("User Name,First Name,Last Name,Display Name,Job Title,Department,Office Number,Office Phone,Mobile Phone,Fax,Alternate email address,Address,City,State or Province,ZIP or Postal Code,Country or Region\r\n" +
                           "chris@contoso.com,Chris,Green,Chris Green,IT Manager,IT,123451,123-555-1211,123-555-6641,123-555-9821,chris@other.example,1 Microsoft way,Redmond,Wa,98052,United States\r\n");

        Assert.True(result.Succeeded, result.Error);
        var row = Assert.Single(result.Rows);
        Assert.Equal("chris@contoso.com", row[ImportColumns.UserPrincipalName]);
        Assert.Equal("United States", row[ImportColumns.Country]);
        Assert.Equal("98052", row[ImportColumns.PostalCode]);
        Assert.Equal("123-555-1211", row[ImportColumns.BusinessPhone]);
        Assert.Equal(["Fax"], result.IgnoredColumns);
    }

    [Fact]
    public void EntraTemplate_SkipsTheVersionRow_ReadsBracketedHeaders_KeepsThePasswordApart()
    {
        var result = Users("version:v1.0\r\n" +
                           "Name [displayName] Required,User name [userPrincipalName] Required,Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required,First name [givenName],Last name [surname],Usage location [usageLocation]\r\n" +
                           "Kim Lee,kim@contoso.com,Str0ng!Passw0rd#1,Yes,Kim,Lee,NL\r\n");

        Assert.True(result.Succeeded, result.Error);
        var row = Assert.Single(result.Rows);
        Assert.Equal(3, row.Line);
        Assert.Equal("Kim Lee", row[ImportColumns.DisplayName]);
        Assert.Equal("kim@contoso.com", row[ImportColumns.UserPrincipalName]);
        Assert.Equal("Yes", row[ImportColumns.BlockSignIn]);
        Assert.Equal("NL", row[ImportColumns.UsageLocation]);
        Assert.Equal("Str0ng!Passw0rd#1", row.Password);
        Assert.DoesNotContain(ImportColumns.Password, row.Values.Keys);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData(',')]
    public void Delimiter_IsSniffed(char delimiter)
    {
        var result = Users($"mailNickName{delimiter}displayName{delimiter}City\r\njo{delimiter}Jo Bloggs{delimiter}Köln\r\n");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(delimiter, result.Delimiter);
        Assert.Equal("Köln", Assert.Single(result.Rows)[ImportColumns.City]);
    }

    [Fact]
    public void QuotedFieldWithNewlines_IsOneValue_AndLineNumbersCountPhysicalLines()
    {
        var result = Users("mailNickName,displayName,streetAddress\r\na,A,\"1 Main St\r\nFloor 2\"\r\nb,B,x\r\n");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("1 Main St\r\nFloor 2", result.Rows[0][ImportColumns.StreetAddress]);
        Assert.Equal([2, 4], result.Rows.Select(r => r.Line));
    }

    [Fact]
    public void Utf8WithBom_Utf16_AndWindows1252_AllReadTheSameText()
    {
        const string text = "mailNickName,displayName\r\nrene,René Müller\r\n";
        byte[] bom = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];
        byte[] utf16 = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)];
        byte[] utf16NoBom = Encoding.Unicode.GetBytes(text);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var ansi = Encoding.GetEncoding(1252).GetBytes(text);

        foreach (var (bytes, encoding) in new[] { (bom, "UTF-8 (BOM)"), (utf16, "UTF-16 LE"), (utf16NoBom, "UTF-16 LE"), (ansi, "Windows-1252"), (Encoding.UTF8.GetBytes(text), "UTF-8") })
        {
            var result = Users(bytes);
            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(encoding, result.Encoding);
            Assert.Equal("René Müller", Assert.Single(result.Rows)[ImportColumns.DisplayName]);
        }
    }

    [Fact]
    public void BinaryFile_IsRefused()
    {
        var result = Users([0x50, 0x4B, 0x03, 0x04, 0x00, 0x14, 0x00, 0x06, 0x00, 0x08, 0xFF, 0x00, 0x21, 0x00]);

        Assert.False(result.Succeeded);
        Assert.Contains("not text", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingHeaders_AreRefusedWithTheTemplatesNamed()
    {
        var result = Users("jane,Jane Doe,contoso.com\r\njohn,John Roe,contoso.com\r\n");

        Assert.False(result.Succeeded);
        Assert.Contains("no column I recognise", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void HundredThousandRows_AreRefusedWithASizeMessage()
    {
        var text = new StringBuilder("mailNickName,displayName\r\n");
        for (var i = 0; i < 100_000; i++)
            text.Append('u').Append(i).Append(",U\r\n");

        var result = Users(text.ToString());

        Assert.False(result.Succeeded);
        Assert.Contains("more than 10,000 rows", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TextOverTheByteLimit_IsRefusedBeforeParsing()
    {
        var result = CsvImportReader.Read("mailNickName\r\n" + new string('a', 5000), ImportColumns.Users, UsersRequired, 10_000, maxBytes: 4096);

        Assert.False(result.Succeeded);
        Assert.Contains("larger than 4 KB", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamOverTheByteLimit_IsRefused()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("mailNickName\r\n" + new string('a', 5000)));

        var result = await CsvImportReader.ReadAsync(stream, ImportColumns.Users, UsersRequired, 10_000, 4096, TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Contains("larger than", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void GuestTemplates_CippAndEntraBulkInvite()
    {
        string[] required = [ImportColumns.Mail];
        var cipp = CsvImportReader.Read("displayName,mail,redirectUri\r\nPat,pat@partner.example,https://myapps.microsoft.com\r\n", ImportColumns.Guests, required, 100, 1 << 20);
        var entra = CsvImportReader.Read("version:v1.0\r\nEmail address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]\r\nsam@supplier.example,https://example.com,false,Welcome\r\n",
            ImportColumns.Guests, required, 100, 1 << 20);

        Assert.Equal("pat@partner.example", Assert.Single(cipp.Rows)[ImportColumns.Mail]);
        var row = Assert.Single(entra.Rows);
        Assert.Equal("sam@supplier.example", row[ImportColumns.Mail]);
        Assert.Equal("https://example.com", row[ImportColumns.RedirectUri]);
        Assert.Equal("false", row[ImportColumns.SendEmail]);
        Assert.Equal("Welcome", row[ImportColumns.Message]);
    }
}
