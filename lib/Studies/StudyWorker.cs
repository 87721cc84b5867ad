using TinierHar.Data;
using TinierHar.Training;

namespace TinierHar.Studies;

/// <summary>
/// Runs the jobs of a study folder that no one else holds, one at a time, in plan order, until none is left
/// (<c>tinierhar study work</c>, one per worker process), or one given job (<c>study run-one</c>, a Slurm array task).
/// A job that throws is abandoned with its reason and retried once (from its last checkpoint) before it is marked
/// failed; a fold the data cannot run (e.g. a subset without its test subjects) is marked failed at once.
/// </summary>
/// <param name="folder">The study.</param>
/// <param name="data">Where the datasets are.</param>
/// <param name="cache">Window cache (null: parse the original files).</param>
/// <param name="threads">torch threads per job (null: the job's own setting).</param>
/// <param name="log">One line per job started, finished or failed.</param>
/// <param name="only">Which jobs this worker takes (null: all), e.g. one tier of the plan first.</param>
public sealed class StudyWorker(StudyFolder folder, DataFolder data, WindowCache? cache, int? threads, Action<string>? log = null,
    Func<StudyJob, bool>? only = null)
{
    LoadedDataset? _loaded;

    /// <summary>Works until no claimable job remains or <paramref name="cancel"/> fires; returns the jobs finished here.</summary>
    public int RunAll(CancellationToken cancel = default)
    {
        int finished = 0;
        while (!cancel.IsCancellationRequested)
        {
            JobClaim? claim = null;
            foreach (var job in folder.ReadPlan().Where(only ?? (_ => true)))
                if ((claim = folder.TryClaim(job)) is not null) break;
            if (claim is null) break;
            using (claim)
                if (Run(claim, cancel)) finished++;
        }
        return finished;
    }

    /// <summary>Runs job <paramref name="index"/> of the plan (0-based) unless it is recorded or held elsewhere; true when this call
    /// recorded it. Throws when the attempt failed (the job stays claimable for its retry).</summary>
    public bool RunOne(int index, CancellationToken cancel = default)
    {
        var plan = folder.ReadPlan();
        if (index < 0 || index >= plan.Count) throw new TinierHarException($"{folder.PlanPath} has jobs 0..{plan.Count - 1}, not {index}");
        using var claim = folder.TryClaim(plan[index]);
        if (claim is null) { log?.Invoke($"job {index} ({plan[index]}): recorded or held by another worker"); return false; }
        return Run(claim, cancel, rethrow: true);
    }

    bool Run(JobClaim claim, CancellationToken cancel, bool rethrow = false)
    {
        var job = claim.Job;
        try
        {
            var dataset = Load(job.Dataset);
            var fold = dataset.Fold(job.Fold);
            if (!fold.Runnable)
            {
                claim.Abandon($"fold {job.Fold} of '{job.Dataset}' cannot run on {dataset.Root}: {fold.SkipReason}");
                folder.Store.Record(new ResultRow(job.Key, double.NaN, double.NaN, double.NaN, 0, 0, 0, StudyFolder.Failed));
                log?.Invoke($"{job}: failed (fold cannot run: {fold.SkipReason})");
                return true;
            }
            log?.Invoke($"{job}: {(claim.Attempt > 1 ? $"attempt {claim.Attempt}, " : "")}{(File.Exists(Path.Combine(claim.RunDir, Trainer.LastFile)) ? "resuming" : "training")}");
            var config = job.Config with { Threads = threads ?? job.Config.Threads };
            var row = CrossValidation.RunFold(dataset, job.Spec, config, job.Fold, folder.Store,
                new Analysis.InlineProgress<TrainingProgress>(claim.Report), null, cancel);
            File.Delete(Path.Combine(claim.RunDir, StudyFolder.AttemptsFile));
            log?.Invoke($"{job}: macro F1 {row.MacroF1:F4}, accuracy {row.Accuracy:F4}, {row.Epochs} epochs, {row.Seconds:F0} s");
            return true;
        }
        catch (OperationCanceledException)
        {
            claim.Abandon(null);
            log?.Invoke($"{job}: stopped; the epochs done are checkpointed");
            throw;
        }
        catch (Exception e)
        {
            var reason = $"{e.GetType().Name}: {e.Message.Split('\n', 2)[0].Trim()}";
            claim.Abandon(reason);
            log?.Invoke($"{job}: attempt {claim.Attempt} failed ({reason})");
            if (rethrow) throw;
            return false;
        }
    }

    LoadedDataset Load(string key)
    {
        if (_loaded?.Info.Key == key) return _loaded;
        _loaded = null; // one dataset in memory at a time
        return _loaded = LoadedDataset.Load(DatasetRegistry.Get(key), data, cache);
    }
}
