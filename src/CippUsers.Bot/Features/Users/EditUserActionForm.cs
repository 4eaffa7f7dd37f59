using CippUsers.Bot.Cards;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Storage;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// Edit User asks for the new values first: a card prefilled with what the tenant holds now, licences and groups included.
internal sealed class EditUserActionForm(UserOperations users, LicenseOperations licenses, GroupOperations groups) : IActionForm
{
    public string ActionId => EditUserRunner.Id;

    public async Task<AdaptiveCard?> CardAsync(CustomerTenant tenant, OperationTarget target, CancellationToken ct)
    {
        var user = await users.GetAsync(tenant.TenantId, target.Id, ct);
        if (!user.Succeeded)
            return null;
        var choices = await EditUserMemberships.ReadAsync(licenses, groups, tenant.TenantId, user.Value!.Id, ct);
        return EditUserForm.Card(tenant, user.Value!, choices: choices);
    }
}
