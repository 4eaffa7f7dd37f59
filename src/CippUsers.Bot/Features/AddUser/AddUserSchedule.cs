using System.Globalization;
using System.Text.Json.Nodes;

namespace CippUsers.Bot.Features.AddUser;

/// Scheduled creation: a date and time typed in the tech's time zone, stored in UTC with the operation.
internal static class AddUserSchedule
{
    public const string ScheduledAtKey = "scheduledAt";
    public const string ZoneKey = "scheduleZone";
    public const string StartedAtKey = "startedAt";

    /// How far ahead a creation may be scheduled.
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(366);

    /// The tech's zone, or UTC when the client sent none (or one this machine does not know).
    public static TimeZoneInfo Zone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
            return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    public static string ZoneName(string? id) => Zone(id) == TimeZoneInfo.Utc ? "UTC" : id!;

    /// The UTC instant of a date and time typed in <paramref name="zoneId"/>; no date means "now" (null, no error).
    public static (DateTimeOffset? At, string? Error) Parse(string? date, string? time, string? zoneId, DateTimeOffset now)
    {
        if (date is null && time is null)
            return (null, null);
        if (date is null || !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return (null, "Choose a date for the scheduled creation (or clear the time).");
        var clock = TimeOnly.MinValue;
        if (time is not null && !TimeOnly.TryParseExact(time, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out clock))
            return (null, "The time is hours and minutes, like 09:30.");
        var zone = Zone(zoneId);
        var local = day.ToDateTime(clock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
            return (null, $"{local:yyyy-MM-dd HH:mm} does not exist in {ZoneName(zoneId)} (the clocks skip it).");
        var at = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
        if (at <= now)
            return (null, $"{Describe(at, zoneId)} has passed. Choose a later time, or clear the date to create the user now.");
        if (at > now + Horizon)
            return (null, "A creation can be scheduled at most a year ahead.");
        return (at, null);
    }

    public static DateTimeOffset? At(JsonObject parameters) =>
        parameters[ScheduledAtKey]?.ToString() is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    public static bool Started(JsonObject parameters) => parameters[StartedAtKey] is not null;

    /// "2026-12-01 09:00 Europe/Amsterdam (08:00 UTC)".
    public static string Describe(DateTimeOffset at, string? zoneId)
    {
        var zone = Zone(zoneId);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return zone == TimeZoneInfo.Utc
            ? string.Create(CultureInfo.InvariantCulture, $"{at:yyyy-MM-dd HH:mm} UTC")
            : string.Create(CultureInfo.InvariantCulture, $"{local:yyyy-MM-dd HH:mm} {zoneId} ({at:HH:mm} UTC)");
    }

    public static string Describe(JsonObject parameters) =>
        At(parameters) is { } at ? Describe(at, parameters[ZoneKey]?.ToString()) : "now";
}
