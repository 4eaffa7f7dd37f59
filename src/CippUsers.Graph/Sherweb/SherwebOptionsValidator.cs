using Microsoft.Extensions.Options;

namespace CippUsers.Graph.Sherweb;

/// <summary>Rules DataAnnotations cannot express; credentials are only required when the integration is on.</summary>
internal sealed class SherwebOptionsValidator : IValidateOptions<SherwebOptions>
{
    public ValidateOptionsResult Validate(string? name, SherwebOptions options)
    {
        var errors = new List<string>();
        if (options.Enabled)
        {
            foreach (var (key, value) in new[] { ("ClientId", options.ClientId), ("ClientSecret", options.ClientSecret), ("SubscriptionKey", options.SubscriptionKey) })
            {
                if (string.IsNullOrWhiteSpace(value))
                    errors.Add($"Sherweb:{key} is required when Sherweb:Enabled is true.");
            }
        }

        foreach (var (key, url) in new[] { ("TokenUrl", options.TokenUrl), ("ApiBaseUrl", options.ApiBaseUrl) })
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                errors.Add($"Sherweb:{key} must be an absolute http(s) URL.");
        }

        foreach (var customer in options.Customers)
        {
            if (string.IsNullOrWhiteSpace(customer.TenantId) || !Guid.TryParse(customer.CustomerId, out _))
                errors.Add("Every Sherweb:Customers entry needs a TenantId and a CustomerId (uuid).");
        }

        foreach (var group in options.Customers.GroupBy(c => c.TenantId, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"Sherweb:Customers lists tenant {group.Key} more than once.");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Distinct());
    }
}
