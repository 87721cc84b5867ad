using System.Diagnostics;

namespace TinierHar.Figures;

/// <summary>Finding and running a headless Chromium (shared by <see cref="FigureStore"/> and the browser tests).</summary>
public static class Chromium
{
    /// <summary>Flags that work on a closed network and as root.</summary>
    public static readonly IReadOnlyList<string> BaseFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    /// <summary>Result of one Chromium run.</summary>
    public sealed record RunResult(int ExitCode, bool TimedOut, string Stdout, string Stderr)
    {
        public string LastStderrLine => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
    }

    /// <summary>Message used when no Chromium is found.</summary>
    public const string MissingMessage = "no Chromium found (install Debian's chromium or set TINIERHAR_CHROMIUM)";

    /// <summary>
    /// The Chromium to use: <c>TINIERHAR_CHROMIUM</c>, <c>/usr/bin/chromium</c>, then chromium, chromium-browser,
    /// google-chrome, google-chrome-stable on PATH; null (and a one-line <paramref name="note"/>) when none is found.
    /// </summary>
    public static string? Find(out string? note)
    {
        note = null;
        var env = Environment.GetEnvironmentVariable("TINIERHAR_CHROMIUM");
        if (!string.IsNullOrWhiteSpace(env))
        {
            if (File.Exists(env)) return Path.GetFullPath(env);
            note = $"PNG skipped: TINIERHAR_CHROMIUM={env} does not exist";
            return null;
        }
        if (File.Exists("/usr/bin/chromium")) return "/usr/bin/chromium";
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var exe in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, exe);
                if (File.Exists(candidate)) return candidate;
            }
        note = "PNG skipped: " + MissingMessage;
        return null;
    }

    /// <summary>Runs Chromium headless with <see cref="BaseFlags"/>, a fresh profile folder (deleted after) and <paramref name="arguments"/>.</summary>
    public static RunResult Run(string chromium, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var profile = Path.Combine(Path.GetTempPath(), "tinierhar-chromium-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(profile);
        try
        {
            var psi = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var f in BaseFlags) psi.ArgumentList.Add(f);
            psi.ArgumentList.Add("--user-data-dir=" + profile);
            foreach (var a in arguments) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {chromium}");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            var timedOut = !p.WaitForExit((int)timeout.TotalMilliseconds);
            if (timedOut)
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                p.WaitForExit(10_000);
            }
            else
            {
                p.WaitForExit(); // drain the redirected streams
            }
            return new RunResult(timedOut ? -1 : p.ExitCode, timedOut,
                stdout.Wait(10_000) ? stdout.Result : "", stderr.Wait(10_000) ? stderr.Result : "");
        }
        finally
        {
            try { System.IO.Directory.Delete(profile, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
