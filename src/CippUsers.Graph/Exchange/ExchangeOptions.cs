using System.ComponentModel.DataAnnotations;

namespace CippUsers.Graph.Exchange;

/// <summary>
/// How the bot reaches Exchange Online's admin API (configuration section "Exchange"). The credential, authority and
/// trusted certificate are Graph's (section "Graph"): the same partner app asks for an Exchange token.
/// </summary>
public sealed class ExchangeOptions
{
    public const string Section = "Exchange";

    /// <summary>Exchange Online root; "adminapi/beta/{tenant}/InvokeCommand" is appended. Point it at the tenant emulator for demo mode and tests.</summary>
    [Required, Url]
    public string BaseUrl { get; set; } = "https://outlook.office365.com";

    /// <summary>The token scope. Stays the Exchange Online resource even when <see cref="BaseUrl"/> points at an emulator.</summary>
    [Required]
    public string Scope { get; set; } = "https://outlook.office365.com/.default";

    /// <summary>Rows per page asked for with Prefer: odata.maxpagesize (Exchange serves at most 1000).</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>Retries of one request answered 408/429/5xx or not answered (honouring Retry-After). 0–10.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay when Exchange sends no Retry-After; it doubles with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound for one request including its retries.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
