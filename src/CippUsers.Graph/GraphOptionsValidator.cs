using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CippUsers.Graph;

/// <summary>Cross-field rules DataAnnotations cannot express.</summary>
internal sealed class GraphOptionsValidator : IValidateOptions<GraphOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphOptions options)
    {
        var errors = new List<string>();
        // DataAnnotations stops at the top level; the nested sections carry ranges too.
        foreach (var (section, value) in new (string, object)[] { ("WriteBudget", options.WriteBudget), ("Consistency", options.Consistency), ("Partner", options.Partner) })
        {
            var found = new List<ValidationResult>();
            if (!Validator.TryValidateObject(value, new ValidationContext(value), found, validateAllProperties: true))
                errors.AddRange(found.Select(r => $"Graph:{section}: {r.ErrorMessage}"));
        }
        foreach (var group in options.Tenants.GroupBy(t => t.TenantId, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"Graph:Tenants lists tenant {group.Key} more than once.");

        foreach (var tenant in options.Tenants)
        {
            if (string.IsNullOrWhiteSpace(tenant.TenantId) || string.IsNullOrWhiteSpace(tenant.DefaultDomain) || string.IsNullOrWhiteSpace(tenant.DisplayName))
                errors.Add("Every Graph:Tenants entry needs TenantId, DisplayName and DefaultDomain.");
            var ownApp = !string.IsNullOrWhiteSpace(tenant.ClientId) && !string.IsNullOrWhiteSpace(tenant.ClientSecret);
            if (!ownApp && !options.Partner.HasCredential)
                errors.Add($"Tenant {tenant.DisplayName} has no app of its own and Graph:Partner has no ClientId with a secret, certificate or managed identity.");
            if (!string.IsNullOrWhiteSpace(tenant.ClientId) != !string.IsNullOrWhiteSpace(tenant.ClientSecret))
                errors.Add($"Tenant {tenant.DisplayName}: ClientId and ClientSecret go together.");
        }

        var partner = options.Partner;
        var ways = new[] { !string.IsNullOrWhiteSpace(partner.ClientSecret), !string.IsNullOrWhiteSpace(partner.CertificatePath) || !string.IsNullOrWhiteSpace(partner.CertificateThumbprint), partner.UseManagedIdentity }.Count(b => b);
        if (ways > 1)
            errors.Add("Graph:Partner: configure exactly one of ClientSecret, a certificate (CertificatePath or CertificateThumbprint), or UseManagedIdentity.");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Distinct());
    }
}
