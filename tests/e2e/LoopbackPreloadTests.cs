using System.Diagnostics;
using System.Text.Json;
using CippUsers.E2E.Infrastructure;

namespace CippUsers.E2E;

/// <summary>The node preload that keeps the Playground on this machine (tools/loopback-only.cjs).</summary>
public sealed class LoopbackPreloadTests
{
    private const string Probe = """
        const net = require('node:net'), dns = require('node:dns'), http = require('node:http');
        const result = {};
        const server = net.createServer(s => s.end()).listen(0, '0.0.0.0', () => {
          result.listen = server.address().address;
          const out = net.connect(443, '192.0.2.10');
          out.on('connect', () => { result.remote = 'connected'; });
          out.on('error', e => {
            result.remote = e.code;
            dns.lookup('example.org', e2 => {
              result.dns = e2 ? e2.code : 'resolved';
              http.get('http://example.org/', () => { result.http = 'answered'; }).on('error', e3 => {
                result.http = e3.code;
                const back = net.connect(server.address().port, '127.0.0.1', () => {
                  result.loopback = 'connected';
                  console.log(JSON.stringify(result));
                  process.exit(0);
                });
                back.on('error', e4 => { result.loopback = e4.code; console.log(JSON.stringify(result)); process.exit(0); });
              });
            });
          });
        });
        """;

    [Fact]
    public async Task Preload_pins_listen_to_loopback_and_refuses_everything_else()
    {
        var startInfo = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--require", RepoPaths.LoopbackPreload, "-e", Probe })
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);

        var output = (await stdout).Trim();
        Assert.True(process.ExitCode == 0 && output.Length > 0, $"probe failed: {output} {await stderr}");
        var result = JsonSerializer.Deserialize<Dictionary<string, string>>(output)!;
        Assert.Equal("127.0.0.1", result["listen"]);
        Assert.Equal("ECONNREFUSED", result["remote"]);
        Assert.Equal("ENOTFOUND", result["dns"]);
        Assert.NotEqual("answered", result["http"]);
        Assert.Equal("connected", result["loopback"]);
        Assert.Contains("[loopback-only] refused connection to 192.0.2.10", await stderr, StringComparison.Ordinal);
    }
}
