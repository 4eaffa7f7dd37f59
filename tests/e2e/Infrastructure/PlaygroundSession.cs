using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CippUsers.E2E.Infrastructure;

/// <summary>
/// The bot in demo mode and the Microsoft 365 Agents Playground, both as child processes on loopback, and the
/// Playground's web UI in headless Debian Chromium. One per test collection; tests drive it like a tech would:
/// <see cref="SendAsync"/>, <see cref="WaitForCardContainingAsync"/>, <see cref="ClickButtonAsync"/>, <see cref="ScreenshotAsync"/>.
/// </summary>
public sealed partial class PlaygroundSession : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string PersonalChat = "Personal Chat";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private readonly List<string> _blockedRequests = [];
    private readonly string _runDir = Path.Combine(RepoPaths.Artifacts, "run", Guid.NewGuid().ToString("N")[..8]);
    private ManagedProcess? _bot;
    private ManagedProcess? _playground;
    private IPlaywright? _playwright;
    private IBrowserContext? _browser;
    private IPage? _page;
    private int _cardBaseline;

    public Uri BotEndpoint { get; private set; } = null!;

    public Uri PlaygroundUrl { get; private set; } = null!;

    public IPage Page => _page ?? throw new InvalidOperationException("The Playground session has not started.");

    private ILocator Cards => Page.Locator(".ac-adaptiveCard");

    private ILocator Composer => Page.Locator("[data-lexical-editor='true'][role='textbox']");

    public async ValueTask InitializeAsync()
    {
        CheckPrerequisites();
        Directory.CreateDirectory(_runDir);
        try
        {
            var clock = Stopwatch.StartNew();
            var timings = new List<string>();
            await StartBotAsync();
            timings.Add($"bot ready after {clock.Elapsed.TotalSeconds:0.0}s");
            await StartPlaygroundAsync();
            timings.Add($"playground ready after {clock.Elapsed.TotalSeconds:0.0}s");
            await OpenBrowserAsync();
            timings.Add($"playground UI loaded in chromium after {clock.Elapsed.TotalSeconds:0.0}s");
            await OpenChatAsync(PersonalChat);
            timings.Add($"personal chat open after {clock.Elapsed.TotalSeconds:0.0}s");
            await File.WriteAllLinesAsync(Path.Combine(_runDir, "timings.txt"), timings);
        }
        catch (Exception ex) when (ex is not PlaygroundSessionException)
        {
            throw await FailureAsync("starting the bot, the Playground and Chromium", ex);
        }
    }

    /// <summary>Selects a chat or channel in the left rail ("Personal Chat", "Escalations", "General", "Approvals").</summary>
    public async Task OpenChatAsync(string name)
    {
        await Page.GetByText(name, new() { Exact = true }).First.ClickAsync();
        await Composer.WaitForAsync(new() { Timeout = (float)DefaultWait.TotalMilliseconds });
        _cardBaseline = await Cards.CountAsync();
    }

    /// <summary>Types <paramref name="text"/> in the compose box of the open chat and sends it.</summary>
    public async Task SendAsync(string text)
    {
        _cardBaseline = await Cards.CountAsync();
        await Composer.ClickAsync();
        await Composer.PressSequentiallyAsync(text);
        await Composer.PressAsync("Enter");
    }

    /// <summary>How long <see cref="WaitForCardContainingAsync"/> waits for the bot's answer.</summary>
    public TimeSpan CardTimeout { get; set; } = DefaultWait;

    /// <summary>
    /// Waits for an Adaptive Card that contains <paramref name="text"/> (and every one of <paramref name="more"/>,
    /// case-insensitively) and arrived, or was updated, after the last <see cref="SendAsync"/> or
    /// <see cref="ClickButtonAsync"/>; returns it.
    /// </summary>
    public async Task<ILocator> WaitForCardContainingAsync(string text, params string[] more)
    {
        string[] wanted = [text, .. more];
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> seen = [];
        while (clock.Elapsed < CardTimeout)
        {
            seen = await Cards.EvaluateAllAsync<string[]>("cards => cards.map(c => c.innerText)");
            for (var i = _cardBaseline; i < seen.Count; i++)
            {
                if (wanted.All(w => seen[i].Contains(w, StringComparison.OrdinalIgnoreCase)))
                {
                    return Cards.Nth(i);
                }
            }

            ThrowIfProcessExited();
            await Task.Delay(250);
        }

        var recent = seen.Skip(_cardBaseline).Select((t, i) => $"  card {_cardBaseline + i}: {Flatten(t)}");
        throw await FailureAsync(
            $"waiting {CardTimeout.TotalSeconds:0}s for a card containing {string.Join(" and ", wanted.Select(w => $"\"{w}\""))} "
            + $"(cards since the last action: {Math.Max(0, seen.Count - _cardBaseline)}){Environment.NewLine}{string.Join(Environment.NewLine, recent)}",
            null);
    }

    /// <summary>The text of every card in the open chat, oldest first.</summary>
    public async Task<IReadOnlyList<string>> CardTextsAsync()
        => (await Cards.EvaluateAllAsync<string[]>("cards => cards.map(c => c.innerText)")).Select(Flatten).ToList();

    /// <summary>Clicks the button titled <paramref name="title"/> on the most recent card that has one.</summary>
    public async Task ClickButtonAsync(string title)
    {
        var button = Page.Locator(".ac-adaptiveCard button").Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(title)}\\s*$") }).Last;
        try
        {
            await button.WaitForAsync(new() { Timeout = (float)DefaultWait.TotalMilliseconds });
        }
        catch (TimeoutException ex)
        {
            throw await FailureAsync($"looking for a card button titled \"{title}\"", ex);
        }

        // Answers may replace the clicked card in place: look for them from that card on.
        var index = await button.EvaluateAsync<int>(
            "(b) => Array.from(document.querySelectorAll('.ac-adaptiveCard')).indexOf(b.closest('.ac-adaptiveCard'))");
        _cardBaseline = Math.Max(0, index);
        await button.ClickAsync();
    }

    /// <summary>Types <paramref name="text"/> into the last multiline input of the most recent card that has one (e.g. a
    /// pasted CSV); <paramref name="label"/> names it in failure messages.</summary>
    public async Task FillCardTextAreaAsync(string label, string text)
    {
        var area = Page.Locator(".ac-adaptiveCard textarea").Last;
        try
        {
            await area.WaitForAsync(new() { Timeout = (float)DefaultWait.TotalMilliseconds });
        }
        catch (TimeoutException ex)
        {
            throw await FailureAsync($"looking for a card text area labelled \"{label}\"", ex);
        }

        await area.FillAsync(text);
    }

    /// <summary>The visible text of the whole page (every chat message and card).</summary>
    public Task<string> PageTextAsync() => Page.Locator("body").InnerTextAsync();

    /// <summary>Saves a full-page screenshot as artifacts/e2e/<paramref name="name"/>.png and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(RepoPaths.Artifacts, $"{name}.png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Requests the browser wanted to send off this machine (aborted).</summary>
    public IReadOnlyList<string> BlockedRequests
    {
        get
        {
            lock (_blockedRequests)
            {
                return [.. _blockedRequests];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            try
            {
                await _browser.CloseAsync();
            }
            catch (PlaywrightException)
            {
            }
        }

        _playwright?.Dispose();
        if (_playground is not null)
        {
            await _playground.DisposeAsync();
        }

        if (_bot is not null)
        {
            await _bot.DisposeAsync();
        }

        try
        {
            Directory.Delete(Path.Combine(_runDir, "chromium-profile"), recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void CheckPrerequisites()
    {
        var missing = new List<string>();
        if (!File.Exists(RepoPaths.BotAssembly))
        {
            missing.Add($"the built bot at {RepoPaths.BotAssembly} (dotnet build the solution first)");
        }

        if (!File.Exists(RepoPaths.PlaygroundCli))
        {
            missing.Add($"the Agents Playground at {RepoPaths.PlaygroundCli} (run `npm ci` in {RepoPaths.Root})");
        }

        if (!File.Exists(ChromiumPath))
        {
            missing.Add($"{ChromiumPath} (apt-get install chromium; ./test does this)");
        }

        if (missing.Count > 0)
        {
            throw new PlaygroundSessionException("The end-to-end tests need " + string.Join("; ", missing) + ".");
        }
    }

    private async Task StartBotAsync()
    {
        var port = ManagedProcess.FreeLoopbackPort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        BotEndpoint = new Uri(baseUrl, "/api/messages");
        var botDir = Path.GetDirectoryName(RepoPaths.BotAssembly)!;
        var workDir = Path.Combine(_runDir, "bot");
        Directory.CreateDirectory(workDir);

        var startInfo = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir };
        // Demo mode binds 127.0.0.1:{Bot:Port}; a fresh data directory per run keeps runs independent.
        foreach (var arg in new[]
                 {
                     RepoPaths.BotAssembly, "--contentRoot", botDir, $"--Bot:Port={port}",
                     $"--Bot:DataDirectory={Path.Combine(workDir, "data")}",
                 })
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        // Demo mode is chosen by the absence of bot credentials: make sure none leak in from the environment.
        foreach (var key in new[] { "MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId", "MicrosoftAppType" })
        {
            startInfo.Environment.Remove(key);
        }

        _bot = ManagedProcess.Start("bot", startInfo, Path.Combine(_runDir, "bot.log"));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await WaitUntilAsync("the bot to answer /healthz", async () =>
        {
            using var response = await http.GetAsync(new Uri(baseUrl, "/healthz"));
            return response.IsSuccessStatusCode;
        }, _bot);
    }

    private async Task StartPlaygroundAsync()
    {
        var requestedPort = ManagedProcess.FreeLoopbackPort();
        var startInfo = new ProcessStartInfo("node") { WorkingDirectory = RepoPaths.Root };
        foreach (var arg in new[]
                 {
                     "--require", RepoPaths.LoopbackPreload, RepoPaths.PlaygroundCli, "--dt",
                     "--app-endpoint", BotEndpoint.ToString(), "--channel-id", "msteams", "--port", requestedPort.ToString(),
                 })
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["TEAMSAPPTESTER_BROWSER"] = "none";
        startInfo.Environment["APPLICATION_INSIGHTS_NO_STATSBEAT"] = "true";
        startInfo.Environment["M365_AGENTS_PLAYGROUND_CONFIG_PATH"] = RepoPaths.PlaygroundConfig;
        startInfo.Environment["M365_AGENTS_PLAYGROUND_LOGFILE"] = Path.Combine(_runDir, "playground-tool.log");

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _playground = ManagedProcess.Start("playground", startInfo, Path.Combine(_runDir, "playground.log"));
        _playground.LineReceived += line =>
        {
            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                listening.TrySetResult(int.Parse(match.Groups[1].Value));
            }
        };

        int port;
        try
        {
            port = await listening.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            port = requestedPort; // It did not say; try the port we asked for.
        }

        PlaygroundUrl = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await WaitUntilAsync("the Playground to serve its web UI", async () =>
        {
            using var response = await http.GetAsync(PlaygroundUrl);
            return response.IsSuccessStatusCode;
        }, _playground);
    }

    private async Task OpenBrowserAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchPersistentContextAsync(
            Path.Combine(_runDir, "chromium-profile"),
            new()
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
                ViewportSize = new() { Width = 1400, Height = 900 },
                Timeout = (float)StartTimeout.TotalMilliseconds,
            });
        // Nothing leaves this machine: the UI asks a CDN for fonts, which we refuse.
        await _browser.RouteAsync("**/*", async route =>
        {
            var host = new Uri(route.Request.Url).Host;
            if (host is "127.0.0.1" or "localhost" or "[::1]")
            {
                await route.ContinueAsync();
                return;
            }

            lock (_blockedRequests)
            {
                _blockedRequests.Add(route.Request.Url);
            }

            await route.AbortAsync("blockedbyclient");
        });

        _page = _browser.Pages.Count > 0 ? _browser.Pages[0] : await _browser.NewPageAsync();
        _page.SetDefaultTimeout((float)DefaultWait.TotalMilliseconds);
        await _page.GotoAsync(PlaygroundUrl.ToString(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Composer.WaitForAsync(new() { Timeout = (float)StartTimeout.TotalMilliseconds });
    }

    private static async Task WaitUntilAsync(string what, Func<Task<bool>> probe, ManagedProcess process)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new PlaygroundSessionException($"{process.Name} exited while waiting for {what}.{Environment.NewLine}{process.Tail()}");
            }

            try
            {
                if (await probe())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex;
            }

            await Task.Delay(300);
        }

        throw new PlaygroundSessionException(
            $"Timed out after {StartTimeout.TotalSeconds:0}s waiting for {what} ({last?.Message}).{Environment.NewLine}{process.Tail()}");
    }

    private void ThrowIfProcessExited()
    {
        foreach (var process in new[] { _bot, _playground })
        {
            if (process is { HasExited: true })
            {
                throw new PlaygroundSessionException($"{process.Name} exited during the test.{Environment.NewLine}{process.Tail()}");
            }
        }
    }

    private async Task<PlaygroundSessionException> FailureAsync(string doing, Exception? inner)
    {
        var screenshot = "(none)";
        if (_page is not null)
        {
            try
            {
                screenshot = await ScreenshotAsync($"failure-{Guid.NewGuid().ToString("N")[..6]}");
            }
            catch (PlaywrightException)
            {
            }
        }

        var message = $"E2E failure while {doing}.{Environment.NewLine}Screenshot: {screenshot}{Environment.NewLine}"
            + $"{_bot?.Tail()}{Environment.NewLine}{_playground?.Tail()}";
        return new PlaygroundSessionException(message, inner);
    }

    private static string Flatten(string text) => WhiteSpace().Replace(text, " ").Trim();

    [GeneratedRegex(@"Listening on (\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}

public sealed class PlaygroundSessionException : Exception
{
    public PlaygroundSessionException(string message)
        : base(message)
    {
    }

    public PlaygroundSessionException(string message, Exception? inner)
        : base(message, inner)
    {
    }

    public PlaygroundSessionException()
    {
    }
}
