using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TinierHar.Models;
using TinierHar.Training;

namespace TinierHar.Studies;

/// <summary>Where a job stands: in <c>results.csv</c> as done or failed, claimed by a live worker, or waiting.</summary>
public enum JobState { Pending, Running, Done, Failed }

/// <summary>What a running job reports after each epoch (<c>progress.json</c> in its run folder; not committed).</summary>
public sealed record JobProgress(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("seconds_per_epoch")] double SecondsPerEpoch,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("updated_utc")] DateTime UpdatedUtc);

/// <summary>One job of the plan with its state (and its row, progress or failure reason where it has one).</summary>
public sealed record JobStatus(int Index, StudyJob Job, JobState State, ResultRow? Row, JobProgress? Progress, string? Failure);

/// <summary>
/// A study folder (<c>--out DIR</c>): <c>plan.csv</c> (the jobs, in order; planning again adds jobs and keeps the rest)
/// and the <see cref="RunStore"/> of their runs (<c>results.csv</c>, one folder per job). Workers on one machine or on a
/// cluster share it: a job is claimed by an exclusive lock on <c>.claim.lock</c> in its run folder, released by the
/// operating system when the worker ends or dies; <c>attempts</c> counts the claims that ended without finishing the job
/// or checkpointing a new epoch (a crash or kill that made progress is resumed, not counted), and the second such
/// attempt marks the job failed (its reasons are in <c>failure.txt</c>).
/// </summary>
public sealed class StudyFolder
{
    public const string PlanFile = "plan.csv", ClaimFile = ".claim.lock", AttemptsFile = "attempts", FailureFile = "failure.txt",
        ProgressFile = "progress.json";
    const string PlanHeader = "dataset,model,variant,preset,epochs,seed,fold";
    /// <summary>Attempts before a job is marked failed: the first, and one retry from its last checkpoint.</summary>
    public const int MaxAttempts = 2;
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public StudyFolder(string root)
    {
        Root = Path.GetFullPath(root);
        Store = new RunStore(Root);
    }

    public string Root { get; }
    public RunStore Store { get; }
    public string PlanPath => Path.Combine(Root, PlanFile);

    /// <summary>The folder of an existing study, or a message naming it and what to run first.</summary>
    public static StudyFolder Open(string root)
    {
        var folder = new StudyFolder(root);
        if (!File.Exists(folder.PlanPath))
            throw new TinierHarException($"{folder.PlanPath} not found: plan the study first ('tinierhar study plan --out {root} ...')");
        return folder;
    }

    /// <summary>The jobs of <c>plan.csv</c>, in order.</summary>
    public IReadOnlyList<StudyJob> ReadPlan()
    {
        if (!File.Exists(PlanPath)) return [];
        var lines = File.ReadAllLines(PlanPath);
        if (lines.Length == 0 || lines[0] != PlanHeader)
            throw new TinierHarException($"{PlanPath}, line 1: expected the header '{PlanHeader}'");
        var jobs = new List<StudyJob>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = lines[i].Split(',');
            try
            {
                if (f.Length != 7) throw new TinierHarException($"expected 7 fields, got {f.Length}");
                var spec = ModelCatalog.ParseRunVariant(f[1], f[2]).Resolve();
                var config = TrainingConfig.FromPreset(f[3]) with { Epochs = Int(f[4]), Seed = Int(f[5]) };
                jobs.Add(new StudyJob(Data.DatasetRegistry.Get(f[0]).Key, spec, config.Validate(), Int(f[6])));
            }
            catch (TinierHarException e)
            {
                throw new TinierHarException($"{PlanPath}, line {i + 1}: {e.Message}");
            }
        }
        return jobs;
    }

    static int Int(string s) => int.TryParse(s, NumberStyles.Integer, Inv, out var v) ? v : throw new TinierHarException($"'{s}' is not a whole number");

    /// <summary>Adds the jobs not yet planned (at the end, in the given order) and returns how many were new.</summary>
    public int AddJobs(IEnumerable<StudyJob> jobs)
    {
        Directory.CreateDirectory(Root);
        using var _ = FileLock.Acquire(PlanPath + ".lock", RunStore.LockTimeout);
        var plan = ReadPlan().ToList();
        var known = plan.Select(j => j.Key).ToHashSet();
        int added = 0;
        foreach (var job in jobs)
            if (known.Add(job.Key)) { plan.Add(job); added++; }
        var sb = new StringBuilder().AppendLine(PlanHeader);
        foreach (var j in plan)
            sb.AppendLine(string.Join(",", j.Dataset, j.Spec.Model, j.Spec.RunVariant, j.Config.Preset, j.Config.Epochs.ToString(Inv),
                j.Config.Seed.ToString(Inv), j.Fold.ToString(Inv)));
        RunStore.WriteAtomic(PlanPath, sb.ToString());
        return added;
    }

    /// <summary>Every planned job with its state.</summary>
    public IReadOnlyList<JobStatus> Status()
    {
        var rows = Store.ReadResults().ToDictionary(r => r.Key);
        return ReadPlan().Select((job, i) =>
        {
            var dir = Store.RunDir(job.Key);
            if (rows.TryGetValue(job.Key, out var row))
                return new JobStatus(i, job, row.Status == ResultRow.Done ? JobState.Done : JobState.Failed, row, null,
                    row.Status == ResultRow.Done ? null : LastFailure(dir));
            bool running = FileLock.IsHeld(Path.Combine(dir, ClaimFile));
            return new JobStatus(i, job, running ? JobState.Running : JobState.Pending, null, ReadProgress(dir), LastFailure(dir));
        }).ToList();
    }

    /// <summary>
    /// Claims a job that is neither recorded nor held by another worker; null otherwise. The claim counts as an attempt;
    /// a job whose earlier attempts all failed (<see cref="MaxAttempts"/>) is recorded as failed instead of claimed.
    /// </summary>
    public JobClaim? TryClaim(StudyJob job)
    {
        if (Store.ReadResults().Any(r => r.Key == job.Key)) return null;
        var dir = Store.RunDir(job.Key);
        var held = FileLock.TryAcquire(Path.Combine(dir, ClaimFile));
        if (held is null) return null;
        if (Store.ReadResults().Any(r => r.Key == job.Key)) { held.Dispose(); return null; } // finished meanwhile
        var attemptsPath = Path.Combine(dir, AttemptsFile);
        int attempts = File.Exists(attemptsPath) && int.TryParse(File.ReadAllText(attemptsPath).Trim(), NumberStyles.Integer, Inv, out var a) ? a : 0;
        // An attempt that checkpointed an epoch after its claim made progress (e.g. killed at the end of a session): it does
        // not count against the job. Only attempts that end where they started do.
        var checkpoint = Path.Combine(dir, Trainer.LastFile);
        if (attempts > 0 && File.Exists(checkpoint) && File.GetLastWriteTimeUtc(checkpoint) > File.GetLastWriteTimeUtc(attemptsPath)) attempts = 0;
        if (attempts >= MaxAttempts)
        {
            var reason = LastFailure(dir) ?? "the worker process ended during the fold (killed or a native crash)";
            Store.Record(new ResultRow(job.Key, double.NaN, double.NaN, double.NaN, 0, 0, 0, Failed));
            AppendFailure(dir, $"marked failed after {attempts} attempts; last: {reason}");
            held.Dispose();
            return null;
        }
        RunStore.WriteAtomic(attemptsPath, (attempts + 1).ToString(Inv));
        return new JobClaim(this, job, held, attempts + 1);
    }

    /// <summary>Status of a failed row in <c>results.csv</c>.</summary>
    public const string Failed = "failed";

    internal static void AppendFailure(string dir, string reason)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, FailureFile);
        var old = File.Exists(path) ? File.ReadAllText(path) : "";
        RunStore.WriteAtomic(path, old + $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {reason.ReplaceLineEndings(" ")}\n");
    }

    static string? LastFailure(string dir)
    {
        var path = Path.Combine(dir, FailureFile);
        return File.Exists(path) ? File.ReadLines(path).LastOrDefault(l => l.Length > 0)?[21..] : null;
    }

    static JobProgress? ReadProgress(string dir)
    {
        var path = Path.Combine(dir, ProgressFile);
        try { return File.Exists(path) ? JsonSerializer.Deserialize<JobProgress>(File.ReadAllText(path)) : null; }
        catch (Exception e) when (e is IOException or JsonException) { return null; }
    }
}

/// <summary>A worker's hold on one job: the lock on its claim file, released on <see cref="Dispose"/> or process exit.</summary>
public sealed class JobClaim(StudyFolder folder, StudyJob job, FileLock held, int attempt) : IDisposable
{
    public StudyJob Job => job;
    public int Attempt => attempt;
    public string RunDir => folder.Store.RunDir(job.Key);

    /// <summary>Writes <c>progress.json</c> (after each epoch).</summary>
    public void Report(TrainingProgress p) =>
        RunStore.WriteAtomic(Path.Combine(RunDir, StudyFolder.ProgressFile), JsonSerializer.Serialize(new JobProgress(p.Epoch, p.Epochs,
            p.SecondsPerEpoch, Environment.MachineName, Environment.ProcessId, DateTime.UtcNow)));

    /// <summary>The attempt ended without finishing: stopped on request (not counted as an attempt) or failed with a reason.</summary>
    public void Abandon(string? failure)
    {
        if (failure is not null) { StudyFolder.AppendFailure(RunDir, $"attempt {attempt}: {failure}"); return; }
        RunStore.WriteAtomic(Path.Combine(RunDir, StudyFolder.AttemptsFile), (attempt - 1).ToString(CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        var progress = Path.Combine(RunDir, StudyFolder.ProgressFile);
        if (File.Exists(progress)) File.Delete(progress);
        held.Dispose();
    }
}
