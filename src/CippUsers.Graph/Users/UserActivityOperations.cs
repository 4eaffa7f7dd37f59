using Microsoft.Graph.Models;

namespace CippUsers.Graph;

/// <summary>When a user last signed in (Graph's signInActivity; needs Entra ID P1/P2 and AuditLog.Read.All).</summary>
/// <param name="LastSignIn">Last interactive sign-in attempt (successful or not).</param>
/// <param name="LastNonInteractiveSignIn">Last sign-in by a client on the user's behalf (token refresh and the like).</param>
/// <param name="LastSuccessfulSignIn">Last successful sign-in of either kind.</param>
public sealed record UserSignIns(DateTimeOffset? LastSignIn, DateTimeOffset? LastNonInteractiveSignIn, DateTimeOffset? LastSuccessfulSignIn)
{
    /// <summary>Whether Graph knows of any sign-in at all.</summary>
    public bool Never => LastSignIn is null && LastNonInteractiveSignIn is null && LastSuccessfulSignIn is null;
}

/// <summary>The authentication methods a user has registered, by Graph type name without the namespace.</summary>
public sealed record MfaRegistration(IReadOnlyList<string> MethodTypes)
{
    /// <summary>Method types that count as a second factor (password, email and Temporary Access Pass do not).</summary>
    public static IReadOnlySet<string> SecondFactors { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "phoneAuthenticationMethod", "microsoftAuthenticatorAuthenticationMethod", "fido2AuthenticationMethod",
        "softwareOathAuthenticationMethod", "windowsHelloForBusinessAuthenticationMethod", "platformCredentialAuthenticationMethod",
        "externalAuthenticationMethod",
    };

    /// <summary>True when at least one second factor is registered.</summary>
    public bool IsMfaRegistered => MethodTypes.Any(SecondFactors.Contains);

    /// <summary>The second factors in words ("Phone", "Microsoft Authenticator", …), each once.</summary>
    public IReadOnlyList<string> SecondFactorNames => [.. MethodTypes.Where(SecondFactors.Contains).Select(Name).Distinct()];

    /// <summary>A method type in words.</summary>
    public static string Name(string methodType) => methodType switch
    {
        "phoneAuthenticationMethod" => "Phone",
        "microsoftAuthenticatorAuthenticationMethod" => "Microsoft Authenticator",
        "fido2AuthenticationMethod" => "Passkey (FIDO2)",
        "softwareOathAuthenticationMethod" => "Authenticator app (OATH)",
        "windowsHelloForBusinessAuthenticationMethod" => "Windows Hello for Business",
        "platformCredentialAuthenticationMethod" => "Platform credential",
        "externalAuthenticationMethod" => "External method",
        "emailAuthenticationMethod" => "Email",
        "passwordAuthenticationMethod" => "Password",
        "temporaryAccessPassAuthenticationMethod" => "Temporary Access Pass",
        "qrCodePinAuthenticationMethod" => "QR code",
        _ => methodType,
    };
}

/// <summary>
/// What the user card shows about a user's sign-ins and MFA: signInActivity (graph-endpoints.md §1.1, §12.1) and the
/// user's authentication methods (§7.1, UserAuthenticationMethod.Read.All). Read-only.
/// </summary>
public sealed class UserActivityOperations
{
    /// <summary>The <see cref="GraphFailure.Code"/> when the tenant has no Entra ID P1/P2 for sign-in activity.</summary>
    public const string NeedsPremiumCode = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";

    private static readonly string[] SignInSelect = ["id", "signInActivity"];

    private readonly GraphCalls calls;

    internal UserActivityOperations(GraphCalls calls) => this.calls = calls;

    /// <summary>
    /// The user's last sign-ins. A tenant without Entra ID P1/P2 fails with <see cref="NeedsPremiumCode"/> and a message
    /// saying so, which callers show instead of the value.
    /// </summary>
    public async Task<GraphResult<UserSignIns>> GetSignInsAsync(string tenantId, string userId, CancellationToken ct)
    {
        var result = await calls.RunAsync(tenantId, async (client, t) =>
        {
            var user = await UserOperations.ByIdOrUpn(client, userId, SignInSelect).GetAsync(r => r.QueryParameters.Select = SignInSelect, t);
            var activity = user?.SignInActivity;
            return new UserSignIns(activity?.LastSignInDateTime, activity?.LastNonInteractiveSignInDateTime, activity?.LastSuccessfulSignInDateTime);
        }, ct, userId);
        if (!result.Succeeded && IsPremiumRequired(result.Failure))
        {
            return new GraphFailure(GraphFailureKind.Forbidden, "Sign-in activity needs Entra ID P1 or P2 in this tenant.", result.Failure.RequestId) { Code = NeedsPremiumCode };
        }

        return result;
    }

    /// <summary>The user's registered authentication methods (the per-user list; fine for one user, not for sweeps).</summary>
    public Task<GraphResult<MfaRegistration>> GetMfaRegistrationAsync(string tenantId, string userId, CancellationToken ct) =>
        calls.RunAsync(tenantId, async (client, t) =>
        {
            var page = await UserOperations.ByIdOrUpn(client, userId).Authentication.Methods.GetAsync(cancellationToken: t);
            return new MfaRegistration([.. (page?.Value ?? []).Select(TypeName).Where(n => n.Length > 0)]);
        }, ct, userId);

    private static bool IsPremiumRequired(GraphFailure failure) =>
        failure.Code == NeedsPremiumCode
        || (failure.Kind == GraphFailureKind.Forbidden && failure.Message.Contains("premium", StringComparison.OrdinalIgnoreCase));

    private static string TypeName(AuthenticationMethod method) =>
        (method.OdataType ?? "").Replace("#microsoft.graph.", "", StringComparison.Ordinal);
}
