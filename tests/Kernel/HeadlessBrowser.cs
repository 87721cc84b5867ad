using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TinierHar.Figures;

namespace TinierHar.Tests.Kernel;

/// <summary>
/// Debian's Chromium, headless, driven through the Chrome DevTools Protocol (one page, a websocket from
/// <see cref="ClientWebSocket"/>). Its profile folder is temporary; <see cref="Dispose"/> kills the browser and deletes it.
/// </summary>
internal sealed partial class HeadlessBrowser : IDisposable
{
    readonly Process _process;
    readonly string _profile;
    readonly ClientWebSocket _socket = new();
    readonly StringBuilder _stderr = new();
    int _nextId;

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();

    HeadlessBrowser(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>What Chromium printed on stderr so far (for failure messages).</summary>
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>
    /// Starts <paramref name="chromium"/> headless on <paramref name="url"/> (window 1400×1000) with remote debugging on
    /// a free port of 127.0.0.1 and attaches to the page.
    /// </summary>
    public static async Task<HeadlessBrowser> StartAsync(string chromium, string url, IEnumerable<string> extraFlags, TimeSpan wait)
    {
        var profile = Directory.CreateTempSubdirectory("tinierhar-cdp-").FullName;
        var psi = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var f in Chromium.BaseFlags) psi.ArgumentList.Add(f);
        foreach (var f in new[] { "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                     "--window-size=1400,1000", "--hide-scrollbars" })
            psi.ArgumentList.Add(f);
        foreach (var f in extraFlags) psi.ArgumentList.Add(f);
        psi.ArgumentList.Add(url);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {chromium}");
        var browser = new HeadlessBrowser(process, profile);
        try
        {
            var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) { endpoint.TrySetException(new InvalidOperationException("Chromium closed stderr before printing its DevTools address")); return; }
                lock (browser._stderr) browser._stderr.AppendLine(e.Data);
                var m = DevToolsLine().Match(e.Data);
                if (m.Success) endpoint.TrySetResult(m.Groups[1].Value);
            };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            string browserWs;
            try { browserWs = await endpoint.Task.WaitAsync(wait); }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                throw new Xunit.Sdk.XunitException($"Chromium printed no 'DevTools listening on ws://…' line within {wait.TotalSeconds:0} s ({e.Message}); stderr:\n{browser.Stderr}");
            }
            // The page target opened with the URL: /json/list on the same host:port.
            var http = new Uri(browserWs.Replace("ws://", "http://"));
            using var client = new HttpClient { Timeout = wait };
            string? pageWs = null;
            var deadline = DateTime.UtcNow + wait;
            while (pageWs is null)
            {
                var list = JsonNode.Parse(await client.GetStringAsync(new Uri(http, "/json/list")))!.AsArray();
                pageWs = list.FirstOrDefault(t => t?["type"]?.GetValue<string>() == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
                if (pageWs is null)
                {
                    if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"Chromium has no page target after {wait.TotalSeconds:0} s: {list.ToJsonString()}");
                    await Task.Delay(200);
                }
            }
            using var connect = new CancellationTokenSource(wait);
            await browser._socket.ConnectAsync(new Uri(pageWs), connect.Token);
            return browser;
        }
        catch
        {
            browser.Dispose();
            throw;
        }
    }

    /// <summary>Sends one CDP command and returns its <c>result</c> (events before the reply are dropped).</summary>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null, TimeSpan? wait = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        using var cts = new CancellationTokenSource(wait ?? TimeSpan.FromMinutes(2));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cts.Token);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var ms = new MemoryStream();
            WebSocketReceiveResult r;
            do
            {
                try { r = await _socket.ReceiveAsync(buffer, cts.Token); }
                catch (OperationCanceledException) { throw new Xunit.Sdk.XunitException($"no CDP reply to {method} within {(wait ?? TimeSpan.FromMinutes(2)).TotalSeconds:0} s"); }
                if (r.MessageType == WebSocketMessageType.Close) throw new Xunit.Sdk.XunitException($"Chromium closed the DevTools connection during {method}; stderr:\n{Stderr}");
                ms.Write(buffer, 0, r.Count);
            } while (!r.EndOfMessage);
            var reply = JsonNode.Parse(ms.ToArray())!.AsObject();
            if (reply["id"]?.GetValue<int>() != id) continue; // an event
            if (reply["error"] is { } error) throw new Xunit.Sdk.XunitException($"CDP {method} failed: {error.ToJsonString()}");
            return reply["result"]!.AsObject();
        }
    }

    /// <summary>Evaluates a JavaScript expression in the page (promises awaited) and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true, ["userGesture"] = true,
        });
        if (result["exceptionDetails"] is { } ex)
            throw new Xunit.Sdk.XunitException($"JavaScript failed: {ex["exception"]?["description"] ?? ex["text"]}\nexpression: {expression}");
        var value = result["result"]!["value"];
        return value?.DeepClone();
    }

    /// <summary>
    /// Polls <paramref name="expression"/> (every 0.5 s) until it is true; after <paramref name="wait"/> fails with
    /// "<paramref name="what"/>" and the value of <paramref name="diagnostics"/> (a JavaScript expression) at that point.
    /// A guard against a hang, not a timing check.
    /// </summary>
    public async Task WaitForAsync(string expression, TimeSpan wait, string what, string diagnostics = "null")
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var ok = await EvaluateAsync($"(function () {{ try {{ return !!({expression}); }} catch (e) {{ return false; }} }})()");
            if (ok?.GetValue<bool>() == true) return;
            if (DateTime.UtcNow > deadline)
            {
                var diag = await EvaluateAsync($"(function () {{ try {{ return JSON.stringify({diagnostics}); }} catch (e) {{ return 'diagnostics failed: ' + e; }} }})()");
                throw new Xunit.Sdk.XunitException($"waited {wait.TotalSeconds:0} s: {what}. Page state: {diag}");
            }
            if (_process.HasExited) throw new Xunit.Sdk.XunitException($"Chromium exited (code {_process.ExitCode}) while waiting: {what}; stderr:\n{Stderr}");
            await Task.Delay(500);
        }
    }

    /// <summary>Moves the mouse to page viewport coordinates (CSS pixels).</summary>
    public Task HoverAsync(double x, double y) =>
        SendAsync("Input.dispatchMouseEvent", new JsonObject { ["type"] = "mouseMoved", ["x"] = x, ["y"] = y });

    /// <summary>A left click of the mouse at page viewport coordinates (CSS pixels), as a person's click.</summary>
    public async Task ClickAsync(double x, double y)
    {
        await SendAsync("Input.dispatchMouseEvent", new JsonObject { ["type"] = "mouseMoved", ["x"] = x, ["y"] = y });
        await SendAsync("Input.dispatchMouseEvent", new JsonObject { ["type"] = "mousePressed", ["x"] = x, ["y"] = y, ["button"] = "left", ["clickCount"] = 1 });
        await SendAsync("Input.dispatchMouseEvent", new JsonObject { ["type"] = "mouseReleased", ["x"] = x, ["y"] = y, ["button"] = "left", ["clickCount"] = 1 });
    }

    public void Dispose()
    {
        try { _socket.Abort(); } catch (Exception) { }
        _socket.Dispose();
        try { if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(10_000); } }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
