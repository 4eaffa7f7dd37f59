namespace CippUsers.Bot.Teams;

internal static class EditDistance
{
    /// <summary>Levenshtein distance, case-insensitive.</summary>
    public static int Between(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The commands closest to what was typed: each name is compared with as many leading words of the input.</summary>
    public static IReadOnlyList<CommandRoute> Closest(string input, BotRoutes routes, int count = 3)
    {
        var words = input.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return [.. routes.AllNames()
            .Select(n =>
            {
                var nameWords = n.Name.Count(c => c == ' ') + 1;
                var typed = string.Join(' ', words.Take(nameWords));
                return (n.Route, Distance: Between(typed, n.Name));
            })
            .GroupBy(x => x.Route)
            .Select(g => (Route: g.Key, Distance: g.Min(x => x.Distance)))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Route.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(x => x.Route)];
    }
}
