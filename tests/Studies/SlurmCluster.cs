using System.Diagnostics;

namespace TinierHar.Tests.Studies;

/// <summary>
/// A single-node Slurm cluster on this machine for one test: Debian's <c>munged</c>, <c>slurmctld</c> and <c>slurmd</c>
/// (packages slurm-wlm and munge; .ci/run installs them) run in the foreground from a temporary folder with a generated
/// munge key, a slurm.conf naming this host (linuxproc proctrack, no task plugin, cons_tres, CPUs = this machine's cores)
/// and free ports, and are killed on <see cref="Dispose"/>. Needs root (the daemons run as root here).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class SlurmCluster : IDisposable
{
    readonly List<Process> _daemons = [];
    readonly string _dir;

    /// <summary>Why a cluster cannot start here (null when it can).</summary>
    public static string? Unavailable()
    {
        foreach (var tool in new[] { "munged", "slurmctld", "slurmd", "sbatch", "sinfo" })
            if (Which(tool) is null) return $"'{tool}' is not installed (apt-get install slurm-wlm munge)";
        if (Environment.UserName != "root") return "the test's Slurm daemons run as root";
        return null;
    }

    public SlurmCluster()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"thslurm-{Guid.NewGuid():N}");
        var munge = Path.Combine(_dir, "munge");
        Directory.CreateDirectory(munge);
        // munged refuses a socket folder others cannot traverse and a key others can read.
        const UnixFileMode traverse = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(_dir, traverse);
        File.SetUnixFileMode(munge, traverse);
        var key = Path.Combine(_dir, "munge.key");
        File.WriteAllBytes(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead);
        var socket = Path.Combine(munge, "munge.socket");
        Start("munged", "-F", "--socket", socket, "--key-file", key, "--pid-file", Path.Combine(_dir, "munged.pid"),
            "--log-file", Path.Combine(_dir, "munged.log"), "--seed-file", Path.Combine(_dir, "munged.seed"));
        WaitFor(() => File.Exists(socket), "munged's socket");

        var host = Environment.MachineName;
        ConfigPath = Path.Combine(_dir, "slurm.conf");
        Directory.CreateDirectory(Path.Combine(_dir, "state"));
        Directory.CreateDirectory(Path.Combine(_dir, "spool"));
        File.WriteAllText(ConfigPath, string.Join("\n",
            "ClusterName=tinierhar-test", $"SlurmctldHost={host}", "AuthType=auth/munge", $"AuthInfo=socket={socket}", "CredType=cred/munge",
            "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none", "SelectType=select/cons_tres", "SelectTypeParameters=CR_CPU",
            $"SlurmctldPort={Loopback.FreePort()}", $"SlurmdPort={Loopback.FreePort()}", $"StateSaveLocation={_dir}/state", $"SlurmdSpoolDir={_dir}/spool",
            $"SlurmctldPidFile={_dir}/slurmctld.pid", $"SlurmdPidFile={_dir}/slurmd.pid", $"SlurmctldLogFile={_dir}/slurmctld.log",
            $"SlurmdLogFile={_dir}/slurmd.log", "SlurmUser=root", "SlurmdUser=root", "ReturnToService=2", "MpiDefault=none",
            "AccountingStorageType=accounting_storage/none", "JobAcctGatherType=jobacct_gather/none", "JobCompType=jobcomp/none",
            $"NodeName={host} CPUs={Environment.ProcessorCount} State=UNKNOWN",
            "PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP", ""));
        Start("slurmctld", "-D", "-c", "-f", ConfigPath);
        Start("slurmd", "-D", "-f", ConfigPath);
        WaitFor(() => Query("sinfo", "-h", "-o", "%t").Trim() == "idle", "the node to be idle (sinfo)");
    }

    /// <summary>The slurm.conf; commands find the cluster through <c>SLURM_CONF</c>.</summary>
    public string ConfigPath { get; }

    /// <summary>Runs a Slurm client command against this cluster and returns its output.</summary>
    public string Query(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["SLURM_CONF"] = ConfigPath;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output + err.Result;
    }

    /// <summary>The daemons' logs, for a failing assertion's message.</summary>
    public string Logs() => string.Join("\n", Directory.GetFiles(_dir, "*.log").Select(f => $"--- {Path.GetFileName(f)}\n{string.Join("\n", File.ReadLines(f).TakeLast(15))}"));

    void Start(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        _daemons.Add(p);
    }

    void WaitFor(Func<bool> ready, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!ready())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 60 s for {what}\n{Logs()}");
            Thread.Sleep(200);
        }
    }

    static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"])
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    public void Dispose()
    {
        foreach (var p in Enumerable.Reverse(_daemons))
        {
            try { if (!p.HasExited) { p.Kill(entireProcessTree: true); p.WaitForExit(10_000); } }
            catch (InvalidOperationException) { }
            p.Dispose();
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A fact that needs <see cref="SlurmCluster"/>: reported as skipped, with the reason, where Slurm cannot run
/// (CI installs Slurm and fails on any skipped test).</summary>
internal sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        var reason = TestPaths.MissingShared([SharedFiles.UtdMhad])
            ?? (OperatingSystem.IsLinux() ? SlurmCluster.Unavailable() : "the Slurm test runs on Linux only");
        if (reason is not null) Skip = reason;
    }
}
