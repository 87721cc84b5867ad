using System.Globalization;
using TinierHar.Training;

namespace TinierHar.Studies;

/// <summary>
/// Counts, running folds and an ETA for a study's job list. The ETA uses measured epoch times: seconds per epoch from
/// running jobs' <c>progress.json</c> and finished jobs' rows, taken from the closest measured group: the same
/// (dataset, model, variant, preset), else the same dataset, model and preset (another variant), else the same model
/// and preset (another dataset), else every measured job. It multiplies them by the epochs a job is expected to run
/// (the mean of the finished jobs of the same model and preset, early stopping included; the preset's maximum before
/// any has finished) and divides the sum by the workers.
/// </summary>
public sealed record StudySummary(int Done, int Running, int Pending, int Failed, TimeSpan? Eta, IReadOnlyList<string> RunningJobs)
{
    public int Total => Done + Running + Pending + Failed;

    /// <summary>The closing line of <c>study status</c>: "N done, N running, N pending, N failed".</summary>
    public string Counts => $"{Done} done, {Running} running, {Pending} pending, {Failed} failed";

    public static StudySummary Of(IReadOnlyList<JobStatus> jobs, int workers)
    {
        var seconds = WorkSeconds(jobs);
        var running = jobs.Where(j => j.State == JobState.Running)
            .Select(j => j.Progress is { } p ? $"{Short(j.Job)} epoch {p.Epoch}/{p.Epochs}" : Short(j.Job)).ToList();
        return new StudySummary(jobs.Count(j => j.State == JobState.Done), running.Count, jobs.Count(j => j.State == JobState.Pending),
            jobs.Count(j => j.State == JobState.Failed), seconds is double t ? TimeSpan.FromSeconds(t / Math.Max(1, workers)) : null, running);
    }

    /// <summary>Seconds one worker needs to finish the pending and running jobs that <paramref name="only"/> selects (all
    /// of them by default), at the epoch times measured over every job; null until an epoch is measured.</summary>
    public static double? WorkSeconds(IReadOnlyList<JobStatus> jobs, Func<StudyJob, bool>? only = null)
    {
        var rate = new Dictionary<string, List<double>>();
        var epochs = new Dictionary<string, List<int>>();
        foreach (var j in jobs)
        {
            double? measured = null;
            if (j.State == JobState.Done && j.Row is { Epochs: > 0 } row)
            {
                Add(epochs, EpochKey(j.Job), row.Epochs);
                measured = row.Seconds / row.Epochs;
            }
            else if (j.State == JobState.Running && j.Progress is { Epoch: > 0 } p) measured = p.SecondsPerEpoch;
            if (measured is double m)
                foreach (var k in RateKeys(j.Job)) Add(rate, k, m);
        }
        double seconds = 0;
        foreach (var j in jobs.Where(j => (j.State is JobState.Pending or JobState.Running) && (only is null || only(j.Job))))
        {
            var perEpoch = RateKeys(j.Job).Select(k => rate.TryGetValue(k, out var r) ? r.Average() : (double?)null)
                .FirstOrDefault(r => r is not null) ?? double.NaN;
            var expected = epochs.TryGetValue(EpochKey(j.Job), out var e) ? e.Average() : j.Job.Config.Epochs;
            var left = Math.Max(1, expected - (j.State == JobState.Running ? j.Progress?.Epoch ?? 0 : 0));
            seconds += perEpoch * left;
        }
        return double.IsNaN(seconds) ? null : seconds;
    }

    /// <summary>One progress line: jobs done/total, the running folds, the ETA.</summary>
    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"{Done + Failed}/{Total} jobs ({Failed} failed), {Running} running{(RunningJobs.Count > 0 ? ": " + string.Join("; ", RunningJobs) : "")}, ETA {(Eta is { } t ? Time(t) : "unknown until an epoch is measured")}");

    public static string Time(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:D2}s" : $"{t.TotalSeconds:F0}s";

    static string Short(StudyJob j) => $"{j.Dataset} {j.Spec.Model}-{j.Spec.RunVariant} s{j.Config.Seed} f{j.Fold}";
    /// <summary>The groups whose measured epoch time stands for a job's, closest first.</summary>
    static string[] RateKeys(StudyJob j) =>
        [$"{j.Dataset}|{j.Spec.Model}|{j.Spec.RunVariant}|{j.Config.Label}", $"{j.Dataset}|{j.Spec.Model}|*|{j.Config.Label}",
         $"*|{j.Spec.Model}|*|{j.Config.Label}", "*"];
    static string EpochKey(StudyJob j) => $"{j.Spec.Model}|{j.Config.Label}";
    static void Add<T>(Dictionary<string, List<T>> d, string k, T v) { if (!d.TryGetValue(k, out var l)) d[k] = l = []; l.Add(v); }
}
