using System.Diagnostics;

namespace TinierHar.Studies;

/// <summary>
/// <c>tinierhar study run</c>: starts <paramref name="workers"/> worker processes on this machine (each
/// <c>study work</c> at the given torch threads; by default one per core at one thread, since two 1-thread processes
/// train faster than one 2-thread process here) and reports progress until no claimable job is left. A worker that ends
/// while jobs are still claimable (a crash) is replaced; its fold resumes from its last checkpoint. Each worker's
/// output goes to <c>logs/worker-N.log</c> in the study folder.
/// </summary>
public sealed class LocalRunner(StudyFolder folder, int workers, Func<int, ProcessStartInfo> workerCommand, Action<string> report,
    Func<StudyJob, bool>? only = null, TimeSpan? reportEvery = null)
{
    /// <summary>Runs to the end; returns the summary. On <paramref name="cancel"/> the workers are asked to stop after their
    /// current epoch (SIGINT/SIGTERM) and awaited.</summary>
    public StudySummary Run(CancellationToken cancel = default)
    {
        var logs = Path.Combine(folder.Root, "logs");
        Directory.CreateDirectory(logs);
        var running = new Dictionary<int, (Process Process, StreamWriter Log)>();
        var signalled = new HashSet<int>();
        int starts = 0, maxStarts = workers + Math.Max(4, folder.ReadPlan().Count);
        string last = "";
        var every = reportEvery ?? TimeSpan.FromSeconds(30);
        var lastReport = DateTime.MinValue;
        try
        {
            while (true)
            {
                foreach (var (n, w) in running.Where(kv => kv.Value.Process.HasExited).ToList())
                {
                    w.Process.WaitForExit(); // drains the redirected output
                    if (w.Process.ExitCode != 0) report($"worker {n} ended with exit code {w.Process.ExitCode} (see {Path.Combine(logs, $"worker-{n}.log")})");
                    Close(w);
                    running.Remove(n);
                }
                var status = folder.Status();
                bool claimable = status.Any(s => s.State == JobState.Pending && (only?.Invoke(s.Job) ?? true));
                if (!cancel.IsCancellationRequested && claimable)
                    for (int n = 1; n <= workers && starts < maxStarts; n++)
                        if (!running.ContainsKey(n)) { running[n] = Start(n, logs); starts++; }
                var summary = StudySummary.Of(status, workers);
                var line = summary.Line();
                if (line != last && DateTime.UtcNow - lastReport >= every || running.Count == 0)
                {
                    report(line);
                    last = line; lastReport = DateTime.UtcNow;
                }
                if (running.Count == 0) return summary;
                if (cancel.IsCancellationRequested)
                    foreach (var w in running.Values)
                        if (signalled.Add(w.Process.Id)) Stop(w.Process);
                if (!cancel.IsCancellationRequested) cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(2));
                else Thread.Sleep(500);
            }
        }
        finally
        {
            foreach (var w in running.Values) Close(w);
        }
    }

    static void Close((Process Process, StreamWriter Log) w)
    {
        w.Process.Dispose();
        lock (w.Log) w.Log.Dispose();
    }

    (Process, StreamWriter) Start(int n, string logs)
    {
        var psi = workerCommand(n);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        var log = new StreamWriter(Path.Combine(logs, $"worker-{n}.log"), append: true) { AutoFlush = true };
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return (p, log);
    }

    static void Stop(Process p)
    {
        if (p.HasExited) return;
        // SIGTERM lets the worker finish its epoch's checkpoint and leave; the claim lock is released when it exits.
        if (!OperatingSystem.IsWindows()) _ = Kill(p.Id, 15);
        else p.Kill(entireProcessTree: true);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);
}
