using System.Text.RegularExpressions;

namespace CippUsers.Bot.Operations;

/// What a tech typed after an action command: the users (each a UPN, mail, id or display name) and an optional
/// `in <tenant>`. Names with spaces are kept together; separate several users with spaces when they are addresses or
/// ids, and with commas when they are display names ("disable Jane Doe, Tom Smith in contoso").
internal sealed partial record TargetRequest(IReadOnlyList<string> Users, string? Tenant)
{
    public static TargetRequest Parse(string arguments)
    {
        var text = arguments.Trim();
        string? tenant = null;
        var match = InTenant().Match(text);
        if (match.Success)
        {
            tenant = match.Groups["tenant"].Value.Trim();
            text = match.Groups["users"].Value.Trim();
        }

        var users = new List<string>();
        foreach (var part in text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var addresses = words.Where(IsAddressOrId).ToList();
            var rest = words.Where(w => !IsAddressOrId(w)).ToList();
            users.AddRange(addresses);
            if (rest.Count > 0)
            {
                users.Add(string.Join(' ', rest));
            }
        }

        return new TargetRequest(users.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), tenant);
    }

    /// The domain part of the first address, used to find the tenant when no `in <tenant>` was given.
    public string? FirstDomain => Users.Where(u => u.Contains('@')).Select(u => u[(u.LastIndexOf('@') + 1)..]).FirstOrDefault();

    private static bool IsAddressOrId(string word) => word.Contains('@') || Guid.TryParse(word, out _);

    // Greedy users: the last " in " separates the tenant, so a tenant name may have spaces.
    [GeneratedRegex(@"^(?:(?<users>.*)\s+)?in\s+(?<tenant>\S.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex InTenant();
}
