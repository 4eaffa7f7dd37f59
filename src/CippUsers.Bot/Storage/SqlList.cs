using Dapper;

namespace CippUsers.Bot.Storage;

/// <summary>
/// Expands a list into "(@p0, @p1, …)" the same way on SQLite and PostgreSQL
/// (Dapper passes lists as one array parameter to Npgsql, which "IN @x" cannot take).
/// </summary>
internal static class SqlList
{
    public static string Add(DynamicParameters parameters, string prefix, IEnumerable<string> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = $"{prefix}{names.Count}";
            parameters.Add(name, value);
            names.Add("@" + name);
        }
        return names.Count == 0 ? "(NULL)" : $"({string.Join(", ", names)})";
    }
}
