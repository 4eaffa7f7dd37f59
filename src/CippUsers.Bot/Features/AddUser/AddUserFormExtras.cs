using CippUsers.Graph;

namespace CippUsers.Bot.Features.AddUser;

/// What the Add User card shows beyond the tenant's domains, licenses and attributes: the user pickers and the card's
/// optional parts. Built by the feature (it does the Graph reads); the card stays a pure function.
internal sealed record AddUserFormExtras
{
    public UserPicker? Manager { get; init; }

    public UserPicker? CopyGroupsFrom { get; init; }

    /// The tenant's user template names (a choice and "Apply template" when there are any).
    public IReadOnlyList<string> Templates { get; init; } = [];

    /// Groups the form adds the user to (from a template), with their names.
    public IReadOnlyList<TemplateGroup> Groups { get; init; } = [];

    /// The tech's time zone (IANA id) for the scheduled creation time; null shows UTC.
    public string? TimeZone { get; init; }

    /// Today in the tech's time zone (the earliest date the date picker offers).
    public DateOnly? Today { get; init; }
}

/// A user choice list: the whole tenant (small tenants) or the matches of the last search.
/// <param name="Choices">The users offered (the selected one included).</param>
/// <param name="IsFullList">True when <paramref name="Choices"/> is every user of the tenant, so no search box is needed.</param>
/// <param name="Search">The text searched for, when this list is a search result.</param>
internal sealed record UserPicker(IReadOnlyList<UserChoice> Choices, bool IsFullList, string? Search);
