using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// The filters of the users table. Each maps to a fixed OData clause built here, never from a tech's text.
internal sealed record UserFilter(bool? Enabled, bool? Licensed, bool? Guests, bool? Synced)
{
    public static UserFilter None { get; } = new(null, null, null, null);

    public static IReadOnlyList<(string Value, string Title)> Choices { get; } =
    [
        ("enabled", "Enabled"), ("disabled", "Disabled"),
        ("licensed", "Licensed"), ("unlicensed", "Unlicensed"),
        ("members", "Members"), ("guests", "Guests"),
        ("cloud", "Cloud only"), ("synced", "AD synced"),
    ];

    /// Parses "enabled,guests"; of a contradicting pair the last one wins.
    public static UserFilter Parse(string? commaSeparated)
    {
        var filter = None;
        foreach (var word in (commaSeparated ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            filter = word.ToLowerInvariant() switch
            {
                "enabled" => filter with { Enabled = true },
                "disabled" => filter with { Enabled = false },
                "licensed" => filter with { Licensed = true },
                "unlicensed" => filter with { Licensed = false },
                "members" => filter with { Guests = false },
                "guests" => filter with { Guests = true },
                "cloud" => filter with { Synced = false },
                "synced" => filter with { Synced = true },
                _ => filter,
            };
        }

        return filter;
    }

    public string ToValue() => string.Join(',', Words());

    public string Describe() => Words().Count == 0 ? "all users" : string.Join(", ", Words());

    public UserQuery ToQuery(string? search, int top)
    {
        var clauses = new List<string>();
        if (Licensed is { } licensed)
        {
            clauses.Add(licensed ? "assignedLicenses/$count ne 0" : "assignedLicenses/$count eq 0");
        }

        if (Synced is { } synced)
        {
            clauses.Add(synced ? "onPremisesSyncEnabled eq true" : "onPremisesSyncEnabled ne true");
        }

        return new UserQuery
        {
            Search = string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
            AccountEnabled = Enabled,
            UserType = Guests switch { true => "Guest", false => "Member", null => null },
            Filter = clauses.Count == 0 ? null : string.Join(" and ", clauses),
            Top = top,
            Count = true,
        };
    }

    private List<string> Words()
    {
        var words = new List<string>();
        if (Enabled is { } e)
        {
            words.Add(e ? "enabled" : "disabled");
        }

        if (Licensed is { } l)
        {
            words.Add(l ? "licensed" : "unlicensed");
        }

        if (Guests is { } g)
        {
            words.Add(g ? "guests" : "members");
        }

        if (Synced is { } s)
        {
            words.Add(s ? "synced" : "cloud");
        }

        return words;
    }
}
