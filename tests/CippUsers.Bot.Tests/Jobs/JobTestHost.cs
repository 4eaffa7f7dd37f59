using System.Diagnostics;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CippUsers.Bot.Tests.Jobs;

/// <summary>
/// A bot-like host with storage and jobs, in this process or in a child process: this test assembly started again
/// with <see cref="ChildVariable"/> set and itself as a .NET startup hook, which runs the job server instead of the tests.
/// </summary>
public static class JobTestHost
{
    internal const string ChildVariable = "CIPPUSERS_TEST_JOB_SERVER";

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
        builder.Logging.SetMinimumLevel(Environment.GetEnvironmentVariable("CIPPUSERS_TEST_VERBOSE") == "1" ? LogLevel.Debug : LogLevel.Warning);
        builder.Logging.AddSimpleConsole();
        builder.Services.AddCippJobs(builder.Configuration);
        builder.Services.AddTransient<CheckpointingTestJob>();
        return builder.Build();
    }

    /// <summary>Starts this test assembly as a child job server with <paramref name="settings"/> and extra environment.</summary>
    public static Process StartChild(IReadOnlyDictionary<string, string?> settings, IReadOnlyDictionary<string, string> environment, System.Text.StringBuilder output)
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
        start.Environment[ChildVariable] = "1";
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

    /// <summary>Entry of the child process (see <see cref="StartupHook"/>): a job server until killed.</summary>
    internal static void RunChild()
    {
        var settings = new ConfigurationBuilder().AddEnvironmentVariables("CIPPUSERS_TEST_SETTING__").Build()
            .AsEnumerable().Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);
        using var host = Build(settings);
        host.Run();
    }
}
