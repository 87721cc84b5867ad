using System.Diagnostics;
using System.Net;
using System.Text;
using TinierHar.Cli.Commands;
using TinierHar.Figures;

namespace TinierHar.Tests.Kernel;

/// <summary>
/// Debian's <c>jupyter-notebook</c> (6.4.12) serving one folder on 127.0.0.1 (a free port, a random token, no browser),
/// with its own runtime, config and data folders and the <c>tinierhar</c> kernelspec of this build installed into a
/// temporary prefix on <c>JUPYTER_PATH</c>. <see cref="Dispose"/> stops the server (and the kernels it started) and
/// deletes those folders.
/// </summary>
internal sealed class NotebookServer : IDisposable
{
    public const string Executable = "/usr/bin/jupyter-notebook";
    readonly Process _process;
    readonly string _home;
    readonly StringBuilder _log = new();

    public int Port { get; }
    public string Token { get; } = Guid.NewGuid().ToString("N");
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>What the server printed (stdout and stderr), for failure messages.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Why the browser notebook tests cannot run here (null when they can).</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux()) return "the Jupyter browser test runs on Linux only (Debian's jupyter-notebook and chromium)";
        if (!File.Exists(Executable)) return $"{Executable} not found: install Debian's jupyter-notebook 6.4.12 (apt-get install jupyter-notebook; .ci/run installs it)";
        if (!File.Exists("/usr/bin/jupyter-nbconvert")) return "/usr/bin/jupyter-nbconvert not found: install Debian's jupyter-nbconvert (.ci/run installs it)";
        if (Chromium.Find(out _) is null) return "Chromium not found: install Debian's chromium (apt-get install chromium; .ci/run installs it) or set TINIERHAR_CHROMIUM";
        return null;
    }

    /// <param name="root">The folder the server serves (its notebook directory).</param>
    /// <param name="environment">Extra environment of the server and so of its kernels.</param>
    public NotebookServer(string root, IReadOnlyDictionary<string, string> environment)
    {
        _home = Directory.CreateTempSubdirectory("tinierhar-jupyter-").FullName;
        var prefix = Path.Combine(_home, "prefix");
        KernelCommand.Install(prefix);
        Port = Loopback.FreePort();
        var psi = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--no-browser", "--ip=127.0.0.1", $"--port={Port}", "--port-retries=0", $"--NotebookApp.token={Token}",
                     "--NotebookApp.password=", $"--notebook-dir={root}", "--allow-root" })
            psi.ArgumentList.Add(a);
        psi.Environment["JUPYTER_PATH"] = Path.Combine(prefix, "share", "jupyter");
        psi.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(_home, "runtime");
        psi.Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(_home, "config");
        psi.Environment["JUPYTER_DATA_DIR"] = Path.Combine(_home, "data");
        psi.Environment["IPYTHONDIR"] = Path.Combine(_home, "ipython");
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        _process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Executable}");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits until <c>/api/status</c> answers 200 with the token; fails naming the server's output otherwise.</summary>
    public async Task WaitUntilUpAsync(TimeSpan wait)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            if (_process.HasExited)
                throw new Xunit.Sdk.XunitException($"jupyter-notebook exited with code {_process.ExitCode} before serving:\n{Log}");
            try
            {
                using var r = await client.GetAsync($"{BaseUrl}/api/status?token={Token}");
                if (r.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"jupyter-notebook did not answer {BaseUrl}/api/status within {wait.TotalSeconds:0} s:\n{Log}");
            await Task.Delay(300);
        }
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(10_000); } }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_home, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A fact that needs <see cref="NotebookServer"/> and Chromium: reported as skipped, with the reason, where they are
/// missing (CI installs both and fails on any skipped test).</summary>
internal sealed class JupyterBrowserFactAttribute : FactAttribute
{
    public JupyterBrowserFactAttribute()
    {
        if (NotebookServer.Unavailable() is { } reason) Skip = reason;
    }
}
