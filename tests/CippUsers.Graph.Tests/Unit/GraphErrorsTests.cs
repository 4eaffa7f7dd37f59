namespace CippUsers.Graph.Tests.Unit;

public class GraphErrorsTests
{
    [Theory]
    [InlineData(404, "Request_ResourceNotFound", "Resource 'x' does not exist or one of its queried reference-property objects are not present.", GraphFailureKind.NotFound)]
    [InlineData(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", GraphFailureKind.Forbidden)]
    [InlineData(401, "InvalidAuthenticationToken", "Access token is empty.", GraphFailureKind.Unauthorized)]
    [InlineData(429, "TooManyRequests", "Please retry again later.", GraphFailureKind.Throttled)]
    [InlineData(400, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.", GraphFailureKind.Conflict)]
    [InlineData(400, "Request_BadRequest", "The source resource object or one of the objects being referenced do not exist.", GraphFailureKind.NotFound)]
    [InlineData(400, "Request_BadRequest", "License assignment cannot be done for user with invalid usage location.", GraphFailureKind.BadRequest)]
    [InlineData(503, "serviceNotAvailable", "Service unavailable", GraphFailureKind.Unavailable)]
    [InlineData(504, null, null, GraphFailureKind.Unavailable)]
    public void FromResponse_MapsStatusAndCode_ToKind(int status, string? code, string? message, GraphFailureKind expected)
    {
        var failure = GraphErrors.FromResponse(status, code, message, "req-1");

        Assert.Equal(expected, failure.Kind);
        Assert.Equal("req-1", failure.RequestId);
    }

    [Theory]
    [InlineData("License assignment cannot be done for user with invalid usage location.", "usage location")]
    [InlineData("Subscription with SKU 123 does not have any available licenses.", "no free licences")]
    [InlineData("Cannot Update a mail-enabled security groups and or distribution list.", "Exchange Online")]
    [InlineData("Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.", "on-premises")]
    [InlineData("One or more added object references already exist for the following modified properties: 'members'.", "already a member")]
    [InlineData("Resource 'manager' does not exist or one of its queried reference-property objects are not present.", "no manager")]
    public void FromResponse_KnownGraphMessages_GetFriendlyText(string graphMessage, string expectedPart)
    {
        var failure = GraphErrors.FromResponse(graphMessage.Contains("manager", StringComparison.Ordinal) ? 404 : 400, "Request_BadRequest", graphMessage, null);

        Assert.Contains(expectedPart, failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(graphMessage, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_NetworkFailure_IsUnavailableWithoutRequestId()
    {
        var failure = GraphErrors.FromException(new HttpRequestException("connection reset"));

        Assert.Equal(GraphFailureKind.Unavailable, failure.Kind);
        Assert.Null(failure.RequestId);
        Assert.DoesNotContain("connection reset", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_ODataError_KeepsRequestIdFromInnerError()
    {
        var error = new Microsoft.Graph.Models.ODataErrors.ODataError
        {
            ResponseStatusCode = 404,
            Error = new Microsoft.Graph.Models.ODataErrors.MainError
            {
                Code = "Request_ResourceNotFound",
                Message = "Resource 'abc' does not exist or one of its queried reference-property objects are not present.",
                InnerError = new Microsoft.Graph.Models.ODataErrors.InnerError { RequestId = "rid-42" },
            },
        };

        var failure = GraphErrors.FromException(error);

        Assert.Equal(GraphFailureKind.NotFound, failure.Kind);
        Assert.Equal("rid-42", failure.RequestId);
        Assert.Equal("Request_ResourceNotFound", failure.Code);
    }
}
