using TinierHar.Data;
using TinierHar.Models;
using TinierHar.Training;

namespace TinierHar.Analysis;

/// <summary>
/// Trains one (dataset, model spec) of a <see cref="StudyPlan"/> into a <see cref="RunStore"/> with
/// <see cref="CrossValidation.Run"/>: resumable (finished folds are skipped, unfinished ones resume from their
/// checkpoint). Loaded datasets are kept in a small static cache (last <see cref="CacheSize"/>), so a notebook that
/// trains three models reads the data once.
/// </summary>
public static class Study
{
    /// <summary>Datasets kept in memory.</summary>
    public const int CacheSize = 3;
    static readonly List<((string Root, string Key) Id, LoadedDataset Data)> Loaded = [];

    /// <summary>Trains what is not done yet and returns the result rows of the plan's folds × seeds.</summary>
    /// <param name="plan">Folds, seeds, training config and data folder.</param>
    /// <param name="dataset">Dataset key.</param>
    /// <param name="spec">Model, variant and hyper-parameters (runs are keyed by <see cref="ModelSpec.RunVariant"/>).</param>
    /// <param name="store">Where runs go.</param>
    /// <param name="progress">Per-epoch progress (e.g. <see cref="InlineProgress{T}"/>).</param>
    /// <param name="log">One line per fold started, skipped or finished.</param>
    /// <param name="cache">Recordings cache (null: <see cref="WindowCache.Resolve"/> default, <c>data/cache</c>).</param>
    /// <param name="cancel">Stops before the next epoch.</param>
    public static IReadOnlyList<ResultRow> Train(StudyPlan plan, string dataset, ModelSpec spec, RunStore store,
        IProgress<TrainingProgress>? progress = null, Action<string>? log = null, WindowCache? cache = null, CancellationToken cancel = default)
    {
        var data = Load(plan, dataset, cache, log);
        var folds = Folds(plan, data, log);
        return CrossValidation.Run(data, spec, plan.Config, store, folds, plan.Seeds, progress, log, cancel);
    }

    /// <summary>The dataset, from the static cache or read (through the window cache) from the plan's data folder.</summary>
    public static LoadedDataset Load(StudyPlan plan, string dataset, WindowCache? cache = null, Action<string>? log = null)
    {
        var info = DatasetRegistry.Get(dataset);
        var folder = plan.Data ?? DataFolder.Resolve(null);
        var id = (Path.GetFullPath(folder.Root), info.Key);
        lock (Loaded)
        {
            var hit = Loaded.FindIndex(e => e.Id == id);
            if (hit >= 0) return Loaded[hit].Data;
            var progress = log is null ? null : new InlineProgress<string>(log);
            var data = LoadedDataset.Load(info, folder, cache ?? WindowCache.Resolve(null), progress: progress);
            Loaded.Add((id, data));
            if (Loaded.Count > CacheSize) Loaded.RemoveAt(0);
            return data;
        }
    }

    /// <summary>Forgets the cached datasets.</summary>
    public static void ClearCache()
    {
        lock (Loaded) Loaded.Clear();
    }

    /// <summary>
    /// The plan's folds on this data. Full plans: the listed folds, or every runnable fold when null. Quick plans: the
    /// listed folds that can run, or the first runnable fold when none can (partial datasets may lack fold 0's subjects).
    /// </summary>
    public static IReadOnlyList<int>? Folds(StudyPlan plan, LoadedDataset data, Action<string>? log = null)
    {
        if (plan.Folds is null || !plan.Quick) return plan.Folds;
        var ok = plan.Folds.Where(f => f >= 0 && f < data.Folds.Count && data.Folds[f].Runnable).ToList();
        if (ok.Count > 0) return ok;
        var first = data.RunnableFolds.FirstOrDefault()
            ?? throw new TinierHarException($"dataset '{data.Info.Key}' has no runnable fold in {data.Root}");
        log?.Invoke($"{data.Info.Key}: fold(s) {string.Join(", ", plan.Folds)} cannot run on this data; quick plan uses fold {first.Index}");
        return [first.Index];
    }
}
