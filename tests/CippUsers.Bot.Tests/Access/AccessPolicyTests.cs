using System.ComponentModel.DataAnnotations;
using CippUsers.Bot.Access;
using CippUsers.Bot.Approvals;
using CippUsers.Bot.Catalog;
using Microsoft.Extensions.Options;

namespace CippUsers.Bot.Tests.Access;

public sealed class AccessPolicyTests
{
    private const string Helpdesk = "u-helpdesk";
    private const string Approver = "u-approver";
    private const string Reader = "u-reader";
    private const string Scoped = "u-scoped";
    private const string Group = "g-admins";

    private static readonly TenantRef Contoso = new("t-contoso", "contoso.onmicrosoft.com", "Contoso");
    private static readonly TenantRef Fabrikam = new("t-fabrikam", "fabrikam.onmicrosoft.com", "Fabrikam");

    private static AccessPolicy Policy(Dictionary<string, ActionPolicyOverride>? overrides = null, int threshold = 25)
        => new(
            Options.Create(new AccessOptions
            {
                Principals =
                [
                    new() { Id = Helpdesk, Roles = ["helpdesk"], Tenants = ["*"] },
                    new() { Id = Approver, Roles = ["helpdesk", "approver"], Tenants = ["*"] },
                    new() { Id = Reader, Roles = ["reader"], Tenants = ["*"] },
                    new() { Id = Scoped, Roles = ["helpdesk", "approver"], Tenants = ["contoso.onmicrosoft.com"] },
                    new() { Id = Group, Roles = ["admin"], Tenants = ["t-fabrikam"] },
                ],
                Actions = overrides ?? new(StringComparer.OrdinalIgnoreCase),
            }),
            Options.Create(new ApprovalOptions { BulkThreshold = threshold }));

    private static ActionDescriptor Action(string id) => UserActions.All.Single(a => a.Id == id);

    [Fact]
    public void CanRequest_HelpdeskDisablesUser_Allowed()
        => Assert.True(Policy().CanRequest(Policy().For(Helpdesk), Action(UserActions.SetSignInStateId), Contoso, 1).Allowed);

    [Fact]
    public void CanRequest_ReaderDisablesUser_Refused()
    {
        var decision = Policy().CanRequest(Policy().For(Reader), Action(UserActions.SetSignInStateId), Contoso, 1);
        Assert.False(decision.Allowed);
        Assert.Contains("helpdesk", decision.Reason);
    }

    [Fact]
    public void CanRequest_ReaderViewsUser_Allowed()
        => Assert.True(Policy().CanRequest(Policy().For(Reader), Action("view-user"), Contoso, 1).Allowed);

    [Fact]
    public void CanRequest_TenantOutOfScope_Refused()
    {
        var decision = Policy().CanRequest(Policy().For(Scoped), Action(UserActions.SetSignInStateId), Fabrikam, 1);
        Assert.False(decision.Allowed);
        Assert.Contains("scope", decision.Reason);
        Assert.True(Policy().CanRequest(Policy().For(Scoped), Action(UserActions.SetSignInStateId), Contoso, 1).Allowed);
    }

    [Fact]
    public void CanRequest_UnknownCaller_Refused()
        => Assert.False(Policy().CanRequest(Policy().For("nobody"), Action("view-user"), Contoso, 1).Allowed);

    [Fact]
    public void CanRequest_BulkOnSingleOnlyAction_Refused()
        => Assert.False(Policy().CanRequest(Policy().For(Helpdesk), Action("edit-user"), Contoso, 2).Allowed);

    [Fact]
    public void For_GroupPrincipal_GrantsThroughGroupMembership()
    {
        var caller = Policy().For("someone", [Group]);
        Assert.True(caller.Has(Role.Helpdesk, Fabrikam));
        Assert.False(caller.Has(Role.Reader, Contoso));
    }

    [Fact]
    public void RequirementFor_BulkOverThreshold_NeedsApproval()
    {
        var policy = Policy(threshold: 3);
        Assert.False(policy.RequirementFor(Action(UserActions.SetSignInStateId), 3).NeedsApproval);
        var over = policy.RequirementFor(Action(UserActions.SetSignInStateId), 4);
        Assert.True(over.NeedsApproval);
        Assert.True(over.NeedsConfirmation);
    }

    [Fact]
    public void RequirementFor_ApprovalGated_NeedsApprovalForOneTarget()
        => Assert.True(Policy().RequirementFor(Action("delete-user"), 1).NeedsApproval);

    [Fact]
    public void RequirementFor_ReadAction_NeedsNoConfirmation()
        => Assert.False(Policy().RequirementFor(Action("view-user"), 1).NeedsConfirmation);

    [Fact]
    public void RequirementFor_Override_ChangesClassAndRole()
    {
        var policy = Policy(new(StringComparer.OrdinalIgnoreCase)
        {
            [UserActions.SetSignInStateId] = new() { Policy = PolicyClass.ApprovalGated, MinimumRole = Role.Admin },
        });

        var requirement = policy.RequirementFor(Action(UserActions.SetSignInStateId), 1);
        Assert.True(requirement.NeedsApproval);
        Assert.Equal(Role.Admin, requirement.MinimumRole);
        Assert.False(policy.CanRequest(policy.For(Helpdesk), Action(UserActions.SetSignInStateId), Contoso, 1).Allowed);
    }

    [Fact]
    public void CanDecideApproval_Requester_Refused()
    {
        var decision = Policy().CanDecideApproval(Policy().For(Approver), Approver, Contoso);
        Assert.False(decision.Allowed);
        Assert.Contains("own request", decision.Reason);
    }

    [Fact]
    public void CanDecideApproval_OtherApprover_Allowed()
        => Assert.True(Policy().CanDecideApproval(Policy().For(Approver), Helpdesk, Contoso).Allowed);

    [Fact]
    public void CanDecideApproval_NonApprover_Refused()
        => Assert.False(Policy().CanDecideApproval(Policy().For(Helpdesk), Approver, Contoso).Allowed);

    [Fact]
    public void CanDecideApproval_ApproverOutOfScope_Refused()
        => Assert.False(Policy().CanDecideApproval(Policy().For(Scoped), Helpdesk, Fabrikam).Allowed);

    [Fact]
    public void Validate_BadRoleAndUnknownAction_Fails()
    {
        var options = new AccessOptions
        {
            Principals = [new() { Id = "x", Roles = ["superuser"], Tenants = ["*"] }],
            Actions = new(StringComparer.OrdinalIgnoreCase) { ["no-such"] = new() },
        };

        var errors = options.Validate(new ValidationContext(options)).ToList();
        Assert.Equal(2, errors.Count);
    }
}
