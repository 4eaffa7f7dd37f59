using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CippUsers.E2E.Infrastructure;

/// <summary>
/// A child process whose output is kept (a bounded tail in memory for failure messages, the whole of it in a log
/// file under artifacts/) and whose process tree is killed on dispose.
/// </summary>
internal sealed class ManagedProcess : IAsyncDisposable
{
    private const int TailLines = 80;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();

    private ManagedProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        _log = new StreamWriter(logPath, append: false) { AutoFlush = true };
    }

    public string Name { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public event Action<string>? LineReceived;

    public static ManagedProcess Start(string name, ProcessStartInfo startInfo, string logPath)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        // The Playground reads stdin; give it an immediate end-of-file, like </dev/null.
        startInfo.RedirectStandardInput = true;
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var managed = new ManagedProcess(name, process, logPath);
        process.OutputDataReceived += (_, e) => managed.Append(e.Data);
        process.ErrorDataReceived += (_, e) => managed.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name}: could not start {startInfo.FileName}.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Tail()
    {
        var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : "running";
        return $"----- {Name} ({state}), last {TailLines} lines; full log: {LogPath} -----{Environment.NewLine}"
            + string.Join(Environment.NewLine, _tail);
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or refusing to die: nothing more a test can do about it.
        }

        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _tail.Enqueue(line);
        while (_tail.Count > TailLines && _tail.TryDequeue(out _))
        {
        }

        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }

        LineReceived?.Invoke(line);
    }
}
