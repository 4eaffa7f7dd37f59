using CippUsers.Bot.Operations;
using CippUsers.Bot.Teams;

namespace CippUsers.Bot.Approvals;

/// Approve and Reject on approval cards. The workflow checks the approver role for the tenant and that the approver is
/// not the requester, whatever the card says.
internal sealed class ApprovalsFeature(OperationWorkflow workflow) : IFeature
{
    public void Map(BotRoutes routes)
    {
        routes.Verb(OperationVerbs.Approve, workflow.ApproveAsync);
        routes.Verb(OperationVerbs.Reject, workflow.RejectAsync);
    }
}
