namespace CippUsers.Bot.Features.Imports;

/// How many chunks an import job sends at once: additive increase while Graph answers cleanly, halved when it throttles
/// (429/503 that outlived the library's own Retry-After retries), never below one. The tenant's write budget in the Graph
/// library still caps the rate; this keeps the job from queueing far more than the budget lets through.
internal sealed class AdaptiveConcurrency(int initial, int max)
{
    private readonly Lock gate = new();
    private int cleanInARow;

    public int Limit { get; private set; } = Math.Clamp(initial, 1, Math.Max(1, max));

    public int Max { get; } = Math.Max(1, max);

    public void Succeeded()
    {
        lock (gate)
        {
            // Grow after a full round of clean chunks at the current level.
            if (++cleanInARow >= Limit && Limit < Max)
            {
                Limit++;
                cleanInARow = 0;
            }
        }
    }

    public void Throttled()
    {
        lock (gate)
        {
            Limit = Math.Max(1, Limit / 2);
            cleanInARow = 0;
        }
    }
}
