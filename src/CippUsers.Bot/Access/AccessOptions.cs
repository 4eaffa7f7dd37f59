using System.ComponentModel.DataAnnotations;
using CippUsers.Bot.Catalog;

namespace CippUsers.Bot.Access;

/// The "Access" section: who may do what, and per-action policy overrides (DESIGN decision 8).
internal sealed class AccessOptions : IValidatableObject
{
    public const string Section = "Access";

    /// AAD user or group object ids mapped to roles and tenant scopes.
    public List<AccessPrincipal> Principals { get; init; } = [];

    /// Overrides keyed by catalog action id, for example "set-sign-in-state": { "Policy": "ApprovalGated" }.
    public Dictionary<string, ActionPolicyOverride> Actions { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var principal in Principals)
        {
            if (string.IsNullOrWhiteSpace(principal.Id))
            {
                yield return new ValidationResult("Every Access:Principals entry needs an Id (AAD user or group object id).");
            }

            if (principal.Roles.Count == 0 || principal.Roles.Any(r => !Enum.TryParse<Role>(r, ignoreCase: true, out var role) || role == Role.None))
            {
                yield return new ValidationResult($"Access principal {principal.Id} needs roles from: reader, helpdesk, admin, approver.");
            }

            if (principal.Tenants.Count == 0)
            {
                yield return new ValidationResult($"Access principal {principal.Id} needs Tenants (\"*\" for all).");
            }
        }

        foreach (var (actionId, policy) in Actions)
        {
            if (UserActions.All.Concat(Features.Imports.ImportsSetup.Actions).All(a => !string.Equals(a.Id, actionId, StringComparison.OrdinalIgnoreCase)))
            {
                yield return new ValidationResult($"Access:Actions names an unknown action '{actionId}'.");
            }

            if (policy.MinimumRole is { } minimum && minimum is not (Role.Reader or Role.Helpdesk or Role.Admin))
            {
                yield return new ValidationResult($"Access:Actions:{actionId}:MinimumRole must be Reader, Helpdesk or Admin.");
            }
        }
    }
}

internal sealed class AccessPrincipal
{
    public string Id { get; init; } = "";

    /// Only for people reading the configuration.
    public string? Name { get; init; }

    public List<string> Roles { get; init; } = [];

    /// Tenant ids or domains this principal may touch; "*" means every customer tenant.
    public List<string> Tenants { get; init; } = [];
}

internal sealed class ActionPolicyOverride
{
    public PolicyClass? Policy { get; init; }

    public Role? MinimumRole { get; init; }
}
