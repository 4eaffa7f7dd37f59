namespace CippUsers.Graph;

/// <summary>One page request of the users table.</summary>
public sealed record UserQuery
{
    /// <summary>Free text matched (prefix, tokenized on display name) against display name, UPN and mail with $search.</summary>
    public string? Search { get; init; }

    /// <summary>Only enabled (true) or only disabled (false) accounts.</summary>
    public bool? AccountEnabled { get; init; }

    /// <summary>Only users of this type ("Member" or "Guest").</summary>
    public string? UserType { get; init; }

    /// <summary>Only users holding this SKU.</summary>
    public Guid? HasSkuId { get; init; }

    /// <summary>An extra OData $filter clause, ANDed with the above. Built by code, never from a tech's raw text.</summary>
    public string? Filter { get; init; }

    /// <summary>Page size, 1–999.</summary>
    public int Top { get; init; } = 50;

    /// <summary>Order by "displayName" or "userPrincipalName"; null keeps Graph's order.</summary>
    public string? OrderBy { get; init; } = "displayName";

    /// <summary>Ask Graph for the total count (advanced query).</summary>
    public bool Count { get; init; } = true;

    /// <summary>The <see cref="UserPage.NextLink"/> of the previous page; when set, everything else is ignored.</summary>
    public string? NextLink { get; init; }
}
