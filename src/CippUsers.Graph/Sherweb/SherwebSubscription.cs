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
