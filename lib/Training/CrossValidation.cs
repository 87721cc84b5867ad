using TinierHar.Data;
using TinierHar.Models;

namespace TinierHar.Training;

/// <summary>
/// Runs the folds × seeds of one (dataset, model spec, training config) into a <see cref="RunStore"/> (reference:
/// <c>train.py</c>'s loop over <c>LOCV</c>/<c>SOCV</c> folds, re-seeded per fold; docs/reference.md section 5). Folds already
/// in <c>results.csv</c> as done are skipped; an unfinished fold resumes from its <c>last.ckpt</c>.
/// Differs from the reference: several seeds per call (the reference takes one), and folds whose test subjects are
/// absent from the data are skipped (or rejected when asked for by number).
/// Runs are keyed by <see cref="ModelSpec.RunVariant"/> (the variant, plus the hyper-parameters when they are not the
/// defaults), so design-space points do not collide.
/// </summary>
public static class CrossValidation
{
    /// <summary>Trains what is not done yet and returns the result rows of every requested (seed, fold).</summary>
    /// <param name="data">The loaded dataset.</param>
    /// <param name="spec">Model and variant.</param>
    /// <param name="config">Training settings; its <see cref="TrainingConfig.Seed"/> is replaced by each of <paramref name="seeds"/>.</param>
    /// <param name="store">Where runs and results go.</param>
    /// <param name="folds">Fold indices (null: every runnable fold).</param>
    /// <param name="seeds">Seeds (null: the config's seed).</param>
    /// <param name="progress">Per-epoch progress.</param>
    /// <param name="log">One line per fold started, skipped or finished.</param>
    /// <param name="cancel">Stops before the next epoch; finished folds and epoch checkpoints stay on disk.</param>
    public static IReadOnlyList<ResultRow> Run(LoadedDataset data, ModelSpec spec, TrainingConfig config, RunStore store,
        IEnumerable<int>? folds = null, IEnumerable<int>? seeds = null, IProgress<TrainingProgress>? progress = null,
        Action<string>? log = null, CancellationToken cancel = default)
    {
        config.Validate();
        spec = spec.Resolve();
        var foldList = folds?.Distinct().ToList() ?? data.RunnableFolds.Select(f => f.Index).ToList();
        foreach (var f in foldList)
        {
            var fs = data.Fold(f);
            if (!fs.Runnable) throw new TinierHarException($"fold {f} of '{data.Info.Key}' cannot run: {fs.SkipReason}");
        }
        if (foldList.Count == 0) throw new TinierHarException($"dataset '{data.Info.Key}' has no runnable fold in {data.Root}");
        var seedList = seeds?.Distinct().ToList() ?? [config.Seed];
        var rows = new List<ResultRow>();
        foreach (var seed in seedList)
            foreach (var fold in foldList)
            {
                var cfg = config with { Seed = seed };
                var key = new RunKey(data.Info.Key, spec.Model, spec.RunVariant, cfg.Label, seed, fold);
                var done = store.ReadResults().FirstOrDefault(r => r.Key == key && r.Status == ResultRow.Done);
                if (done is not null)
                {
                    log?.Invoke($"{key.RelativeDir}: done (macro F1 {done.MacroF1:F4}), skipped");
                    rows.Add(done);
                    continue;
                }
                rows.Add(RunFold(data, spec, cfg, fold, store, progress, log, cancel));
            }
        return rows;
    }

    /// <summary>
    /// Trains (or resumes) one fold of one seed into its run folder, writes its files and its provenance, and records
    /// its row in <c>results.csv</c>. The caller decides whether it still needs training.
    /// </summary>
    public static ResultRow RunFold(LoadedDataset data, ModelSpec spec, TrainingConfig config, int fold, RunStore store,
        IProgress<TrainingProgress>? progress = null, Action<string>? log = null, CancellationToken cancel = default)
    {
        spec = spec.Resolve();
        var key = new RunKey(data.Info.Key, spec.Model, spec.RunVariant, config.Label, config.Seed, fold);
        store.WriteOrCheckConfig(key, spec, config);
        var dir = store.RunDir(key);
        log?.Invoke(File.Exists(Path.Combine(dir, Trainer.LastFile)) ? $"{key.RelativeDir}: resuming" : $"{key.RelativeDir}: training");
        using var prepared = data.Prepare(fold, config.Seed);
        var result = Trainer.Run(prepared, spec, config, dir, progress, cancel);
        store.WriteRunFiles(key, result, prepared);
        store.WriteProvenance(key, RunProvenance.Current(result.Engine) with { Seconds = Math.Round(result.Seconds, 1), FinishedUtc = DateTime.UtcNow });
        var row = new ResultRow(key, result.Test.Accuracy, result.Test.MacroF1, result.Test.WeightedF1, result.Epochs.Count,
            result.BestEpoch, result.Seconds);
        store.Record(row);
        log?.Invoke($"{key.RelativeDir}: accuracy {row.Accuracy:F4}, macro F1 {row.MacroF1:F4}, weighted F1 {row.WeightedF1:F4}, {row.Epochs} epochs, {row.Seconds:F0} s");
        return row;
    }
}
