namespace CippUsers.Graph.Sherweb;

/// <summary>One of a customer's Sherweb subscriptions (from subscriptions/details).</summary>
public sealed record SherwebSubscription(string Id, string ProductName, string? Description, string Sku, int Quantity)
{
    /// <summary>"productName (sku)", as the seed labels the choice.</summary>
    public string Label => $"{ProductName} ({Sku})";
}

/// <summary>Sherweb's receipt for an accepted quantity change. The change is processed later (asynchronously).</summary>
/// <param name="AmendmentId">subscriptionsAmendmentId.</param>
/// <param name="TrackingId">trackingId.requestTrackingId, when Sherweb sent one.</param>
public sealed record SherwebAmendment(string AmendmentId, string? TrackingId, SherwebSubscription Subscription, int NewQuantity);

/// <summary>What became of a quantity change.</summary>
public enum SherwebWriteOutcome
{
    /// <summary>Sherweb answered 2xx: it accepted the change and processes it later.</summary>
    Accepted,

    /// <summary>Refused or never sent: nothing changed.</summary>
    Refused,

    /// <summary>Sent, but the answer was lost: Sherweb may or may not have accepted it. Re-read before anything else.</summary>
    Unknown,
}

/// <summary>The result of <see cref="SherwebClient.SetQuantityAsync"/>: the receipt when accepted, the reason otherwise.</summary>
public sealed record SherwebAmendmentResult(SherwebWriteOutcome Outcome, SherwebAmendment? Amendment, GraphFailure? Failure)
{
    internal static SherwebAmendmentResult Accepted(SherwebAmendment amendment) => new(SherwebWriteOutcome.Accepted, amendment, null);

    internal static SherwebAmendmentResult Refused(GraphFailure failure) => new(SherwebWriteOutcome.Refused, null, failure);

    internal static SherwebAmendmentResult Unknown(GraphFailure failure) => new(SherwebWriteOutcome.Unknown, null, failure);
}
