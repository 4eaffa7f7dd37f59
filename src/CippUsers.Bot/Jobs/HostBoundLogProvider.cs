using Hangfire.Logging;

namespace CippUsers.Bot.Jobs;

/// <summary>
/// Hangfire keeps one log provider per process (static). When several hosts share a process (tests, a host restarted
/// in place) the provider may point at a host already stopped; its logger factory is then disposed and Hangfire would
/// throw while enqueuing. Logging must never fail a job operation, so a disposed factory means "don't log".
/// </summary>
internal sealed class HostBoundLogProvider(ILogProvider inner) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return new SafeLog(inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return SafeLog.Silent;
        }
    }

    private sealed class SafeLog(ILog? inner) : ILog
    {
        public static readonly SafeLog Silent = new(null);

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string> messageFunc, Exception exception)
        {
            if (inner is null)
            {
                return false;
            }

            try
            {
                return inner.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
