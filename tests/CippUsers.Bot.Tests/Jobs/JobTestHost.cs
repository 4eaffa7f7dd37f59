using System.Diagnostics;
using System.Runtime.InteropServices;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Bot.Tests.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CippUsers.Bot.Tests.Jobs;

/// <summary>What a child process started by <see cref="JobTestHost.StartChild"/> runs until it is killed.</summary>
public enum ChildHost
{
    /// <summary>A bare job host (storage, jobs and <see cref="CheckpointingTestJob"/>).</summary>
    JobServer,

    /// <summary>The whole bot (<see cref="BotHarness"/>: AddCippBotAsync + MapCippBot on Kestrel), job server included
    /// unless the settings turn it off.</summary>
    Bot,
}

/// <summary>
/// A bot-like host with storage and jobs, in this process or in a child process: this test assembly started again
/// with <see cref="ChildVariable"/> set (to a <see cref="ChildHost"/>) and itself as a .NET startup hook, which runs
/// that host instead of the tests.
/// </summary>
public static class JobTestHost
{
    internal const string ChildVariable = "CIPPUSERS_TEST_JOB_SERVER";

    private static LogLevel ChildLogLevel => Environment.GetEnvironmentVariable("CIPPUSERS_TEST_VERBOSE") == "1" ? LogLevel.Debug : LogLevel.Warning;

    public static Dictionary<string, string?> Settings(StorageProvider provider, string location, bool runServer, int workers = 2)
    {
        var settings = new Dictionary<string, string?>(TestStorage.Settings(provider, location))
        {
            ["Jobs:RunServer"] = runServer ? "true" : "false",
            ["Jobs:WorkerCount"] = workers.ToString(),
            ["Jobs:QueuePollInterval"] = "00:00:00.200",
            ["Jobs:InvisibilityTimeout"] = "00:00:03",
            ["Jobs:DistributedLockLifetime"] = "00:00:03",
            ["Jobs:OperationLockTimeout"] = "00:00:15",
            ["Jobs:ShutdownTimeout"] = "00:00:02",
        };
        return settings;
    }

    public static IHost Build(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(ChildLogLevel);
        builder.Logging.AddSimpleConsole();
        builder.Services.AddCippJobs(builder.Configuration);
        builder.Services.AddTransient<CheckpointingTestJob>();
        return builder.Build();
    }

    /// <summary>Starts this test assembly as a child <paramref name="host"/> with <paramref name="settings"/> and extra environment;
    /// its console output is collected in <paramref name="output"/>.</summary>
    public static Process StartChild(IReadOnlyDictionary<string, string?> settings, IReadOnlyDictionary<string, string> environment, System.Text.StringBuilder output,
        ChildHost host = ChildHost.JobServer)
    {
        var assembly = typeof(JobTestHost).Assembly.Location;
        var apphost = Path.ChangeExtension(assembly, null);
        var start = new ProcessStartInfo
        {
            FileName = File.Exists(apphost) ? apphost : "dotnet",
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (!File.Exists(apphost))
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(assembly);
        }
        start.Environment[ChildVariable] = host.ToString();
        start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
        foreach (var (key, value) in settings)
            start.Environment["CIPPUSERS_TEST_SETTING__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Stops <paramref name="child"/> where it is (SIGSTOP on Unix; nothing elsewhere) so a test can look at what it has done
    /// and then <see cref="Resume"/> it or kill it at exactly that point. (<see cref="Process.Kill(bool)"/> alone walks
    /// /proc for the process tree before its SIGKILL, which can take a few hundred milliseconds on a busy machine while
    /// the child keeps working.) Requests the child already sent may still be answered.
    /// </summary>
    public static void Freeze(Process child)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            _ = Signal(child.Id, OperatingSystem.IsMacOS() ? 17 : 19); // SIGSTOP
        if (OperatingSystem.IsLinux())
            WaitUntilEveryThreadStopped(child.Id);
    }

    // kill() only queues SIGSTOP: a thread running on the other core can still commit a write for a moment. Wait until
    // /proc shows every thread stopped, so what the test reads next is what the process leaves.
    private static void WaitUntilEveryThreadStopped(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(2))
        {
            try
            {
                var states = Directory.GetDirectories($"/proc/{pid}/task").Select(task => File.ReadAllText(Path.Combine(task, "stat")))
                    .Select(stat => stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault());
                if (states.All(state => state is 'T' or 't' or 'Z' or 'X'))
                    return;
            }
            catch (IOException)
            {
                return; // gone
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
            Thread.Sleep(1);
        }
    }

    /// <summary>Lets a <see cref="Freeze">frozen</see> child go on (SIGCONT).</summary>
    public static void Resume(Process child)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            _ = Signal(child.Id, OperatingSystem.IsMacOS() ? 19 : 18); // SIGCONT
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Signal(int pid, int signal);

    /// <summary>Entry of the child process (see <see cref="StartupHook"/>): the chosen host until killed.</summary>
    internal static void RunChild(ChildHost kind)
    {
        var settings = new ConfigurationBuilder().AddEnvironmentVariables("CIPPUSERS_TEST_SETTING__").Build()
            .AsEnumerable().Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);
        if (kind == ChildHost.Bot)
        {
            RunBot(settings);
            return;
        }
        using var host = Build(settings);
        host.Run();
    }

    /// <summary>The real bot as the tests run it in-process, with exactly <paramref name="settings"/> (Graph:Tenants included).</summary>
    private static void RunBot(IReadOnlyDictionary<string, string?> settings)
    {
        var bot = BotHarness.StartAsync(options =>
        {
            options.Tenants.Clear();
            foreach (var (key, value) in settings)
                options.Settings[key] = value;
            options.ConfigureServices = services => services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(ChildLogLevel));
        }).GetAwaiter().GetResult();
        Console.WriteLine($"Bot child {Environment.ProcessId} listening on {bot.BaseAddress}");
        Thread.Sleep(Timeout.Infinite); // until the test kills this process
    }
}
