using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TinierHar.Studies;

/// <summary>Options of <c>tinierhar study slurm</c>.</summary>
/// <param name="Partition">Slurm partition (none: the cluster's default).</param>
/// <param name="CpusPerTask">CPUs per array task; also the torch threads of its job.</param>
/// <param name="Time">Time limit per task, <c>HH:MM:SS</c> (or <c>D-HH:MM:SS</c>).</param>
/// <param name="MaxParallel">At most this many tasks at once (<c>%M</c>; none: no limit).</param>
public sealed partial record SlurmOptions(string? Partition = null, int CpusPerTask = 1, string Time = "12:00:00", int? MaxParallel = null)
{
    [GeneratedRegex(@"^(\d+-)?\d{1,3}:\d{2}:\d{2}$")] private static partial Regex TimeFormat();

    public SlurmOptions Validate()
    {
        if (CpusPerTask < 1) throw new TinierHarException($"--cpus-per-task must be >= 1, got {CpusPerTask}");
        if (MaxParallel is < 1) throw new TinierHarException($"--max-parallel must be >= 1, got {MaxParallel}");
        if (!TimeFormat().IsMatch(Time)) throw new TinierHarException($"--time expects HH:MM:SS or D-HH:MM:SS, got '{Time}'");
        if (Partition is not null && !Regex.IsMatch(Partition, "^[A-Za-z0-9_.-]+$")) throw new TinierHarException($"--partition: not a partition name: '{Partition}'");
        return this;
    }
}

/// <summary>
/// Writes <c>study.sbatch</c>: a Slurm job array with one task per pending job of the plan (the list of plan indices
/// is written beside it as <c>study.sbatch.jobs</c>, one per line; task i runs line i+1, so plan indices never meet
/// the cluster's MaxArraySize). Each task runs <c>tinierhar study run-one</c> on the shared study folder, up to three
/// times: the first attempt, one retry from the last checkpoint, and the call that records the job as failed. Results
/// merge in the folder's run store by construction (its <c>results.csv</c> takes concurrent writers).
/// </summary>
public static class SlurmScript
{
    public const string ScriptFile = "study.sbatch", JobsFile = "study.sbatch.jobs";

    /// <summary>Writes the script for the pending jobs and returns its path and the number of tasks (0: nothing to run, no script).</summary>
    /// <param name="folder">The study.</param>
    /// <param name="options">Slurm settings.</param>
    /// <param name="command">The <c>tinierhar</c> command line to run on the nodes (e.g. <c>dotnet /abs/tinierhar.dll</c>), already quoted.</param>
    /// <param name="dataFolder">Absolute data folder the nodes read.</param>
    public static (string Path, int Tasks) Write(StudyFolder folder, SlurmOptions options, string command, string dataFolder)
    {
        options.Validate();
        var pending = folder.Status().Where(s => s.State == JobState.Pending).Select(s => s.Index).ToList();
        var script = Path.Combine(folder.Root, ScriptFile);
        if (pending.Count == 0) return (script, 0);
        var inv = CultureInfo.InvariantCulture;
        var logs = Path.Combine(folder.Root, "logs");
        Directory.CreateDirectory(logs);
        var jobsPath = Path.Combine(folder.Root, JobsFile);
        var sb = new StringBuilder();
        sb.AppendLine("#!/bin/bash");
        sb.AppendLine("#SBATCH --job-name=tinierhar-study");
        sb.AppendLine(inv, $"#SBATCH --array=0-{pending.Count - 1}{(options.MaxParallel is int m ? $"%{m}" : "")}");
        sb.AppendLine(inv, $"#SBATCH --cpus-per-task={options.CpusPerTask}");
        sb.AppendLine("#SBATCH --ntasks=1");
        sb.AppendLine(inv, $"#SBATCH --time={options.Time}");
        if (options.Partition is not null) sb.AppendLine(inv, $"#SBATCH --partition={options.Partition}");
        sb.AppendLine(inv, $"#SBATCH --output={Path.Combine(logs, "slurm-%A_%a.out")}");
        sb.AppendLine("# One task per pending job of plan.csv (written by 'tinierhar study slurm'); the study folder must be on a");
        sb.AppendLine("# file system every node shares. Submit with: sbatch " + Quote(script));
        sb.AppendLine("set -u");
        sb.AppendLine(inv, $"job=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" {Quote(jobsPath)})");
        sb.AppendLine("for attempt in 1 2 3; do");
        sb.AppendLine(inv, $"  {command} study run-one --out {Quote(folder.Root)} --job \"$job\" --threads \"${{SLURM_CPUS_PER_TASK:-{options.CpusPerTask}}}\" --data {Quote(dataFolder)} && exit 0");
        sb.AppendLine("done");
        sb.AppendLine("exit 1");
        RunStoreWrite(jobsPath, string.Join("\n", pending.Select(i => i.ToString(inv))) + "\n");
        RunStoreWrite(script, sb.ToString());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return (script, pending.Count);
    }

    static void RunStoreWrite(string path, string text) => Training.RunStore.WriteAtomic(path, text);

    /// <summary>Single-quotes a word for bash.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
