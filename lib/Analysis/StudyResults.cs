using System.Globalization;
using System.Text;
using TinierHar.Data;
using TinierHar.Models;
using TinierHar.Studies;
using TinierHar.Training;

namespace TinierHar.Analysis;

/// <summary>How far one tier of the study got (<see cref="StudyTiers"/>; tier 0: jobs outside every tier): the
/// worker-hours its finished folds took (their recorded training time) and the worker-hours its unfinished folds need at
/// the finished folds' epoch times (<see cref="StudySummary.WorkSeconds"/>; null before any fold finished).</summary>
public sealed record TierCoverage(int Tier, string Title, int Done, int Planned, double WorkerHoursSpent, double? WorkerHoursLeft);

/// <summary>One dataset × full model of a study: mean ± sample std of per-fold macro F1 over its pooled runs
/// (<see cref="RunStore.Pool"/>), beside its cost; <paramref name="NotPooled"/> runs of <paramref name="UnfinishedSeeds"/> wait.</summary>
public sealed record ModelScore(string Dataset, string Model, string Preset, int Folds, int Seeds, int Runs, double MacroF1, double Std,
    double Accuracy, long Parameters, long Macs, int NotPooled = 0, string UnfinishedSeeds = "");

/// <summary>One ablation variant (<paramref name="Variant"/>: its display name) of <paramref name="Model"/> against the full
/// model on one dataset: paired ΔF1 with the std of the per-fold differences and their 95 % interval, and the cost change.</summary>
public sealed record AblationDelta(string Dataset, string Model, string Variant, int Pairs, double DeltaF1, double Std, double Low, double High,
    double MacsChangePercent, double ParametersChangePercent);

/// <summary>A quick slice's score beside the study's score for the same dataset and configuration (NaN: not in the study yet).</summary>
public sealed record SliceBeside(string Dataset, string Configuration, string SlicePreset, int SliceFolds, double SliceMacroF1,
    string StudyPreset, int StudyFolds, double StudyMacroF1);

/// <summary>
/// What a study folder (by default the committed <c>results/</c>) shows without training: its coverage, the dataset ×
/// model scores, the paper's claim as paired differences, the ablation deltas, and the efficiency points of the plots.
/// Only finished rows count; a study still running shows what is finished.
/// </summary>
public sealed class StudyResults
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    StudyResults(RunStore store, IReadOnlyList<StudyJob> plan, IReadOnlyList<ResultRow> rows)
    {
        Store = store;
        Plan = plan;
        Rows = rows;
    }

    public RunStore Store { get; }
    /// <summary>The planned jobs (empty for a run folder without <c>plan.csv</c>).</summary>
    public IReadOnlyList<StudyJob> Plan { get; }
    /// <summary>The finished rows.</summary>
    public IReadOnlyList<ResultRow> Rows { get; }

    /// <summary>Reads a study folder; a message naming the folder when it holds no <c>results.csv</c>.</summary>
    public static StudyResults Open(string dir)
    {
        var store = new RunStore(dir);
        if (!File.Exists(store.ResultsPath))
            throw new TinierHarException($"{store.ResultsPath} not found: expected a study folder (the repository's results/, or one made by 'tinierhar study plan')");
        var folder = new StudyFolder(dir);
        var plan = File.Exists(folder.PlanPath) ? folder.ReadPlan() : [];
        return new StudyResults(store, plan, store.ReadResults().Where(r => r.Status == ResultRow.Done).ToList());
    }

    /// <summary>Finished against planned folds per tier of the study (<see cref="StudyTiers"/>), then the jobs outside them.</summary>
    public IReadOnlyList<TierCoverage> Tiers()
    {
        var keys = Plan.Select(j => j.Key).Concat(Rows.Select(r => r.Key)).Distinct().ToList();
        var done = Rows.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Last());
        // Only what is committed counts: a plan job is done or pending (a fold running elsewhere is pending here).
        var status = Plan.Select((j, i) => new JobStatus(i, j, done.ContainsKey(j.Key) ? JobState.Done : JobState.Pending,
            done.GetValueOrDefault(j.Key), null, null)).ToList();
        static int TierOf(RunKey k) => StudyTiers.Of(k) ?? 0;
        return keys.GroupBy(TierOf).OrderBy(g => g.Key == 0).ThenBy(g => g.Key)
            .Select(g => new TierCoverage(g.Key, g.Key == 0 ? "jobs outside the five tiers" : StudyTiers.Get(g.Key).Title,
                g.Count(done.ContainsKey), g.Count(), g.Where(done.ContainsKey).Sum(k => done[k].Seconds) / 3600,
                StudySummary.WorkSeconds(status, j => TierOf(j.Key) == g.Key) / 3600))
            .ToList();
    }

    /// <summary>One line: finished folds, datasets, configurations, seeds and tiers covered.</summary>
    public string Describe()
    {
        if (Rows.Count == 0) return $"{Store.Root}: no finished fold yet ({Plan.Count} planned)";
        var full = Rows.Where(r => r.Key.Variant == ModelVariant.Full).ToList();
        var tiers = string.Join(", ", Tiers().Select(t => t.Tier == 0 ? $"{t.Done} of {t.Planned} outside the tiers" : $"tier {t.Tier} {t.Done} of {t.Planned}"));
        return string.Create(Inv, $"{Store.Root}: {Rows.Count} of {Math.Max(Plan.Count, Rows.Count)} planned folds finished; " +
            $"datasets {string.Join(", ", Rows.Select(r => r.Key.Dataset).Distinct())}; " +
            $"full models {string.Join(", ", full.Select(r => ModelDisplay(r.Key.Model)).Distinct())}; " +
            $"{Rows.Select(r => r.Key.Variant).Distinct().Count(v => v != ModelVariant.Full)} ablation or design-space configuration(s); " +
            $"seeds {string.Join(",", Rows.Select(r => r.Key.Seed).Distinct().Order())}; presets {string.Join(", ", Rows.Select(r => r.Key.Preset).Distinct())}; {tiers}");
    }

    /// <summary>Dataset × full model scores (dataset, then TinierHAR, TinyHAR, DeepConvLSTM), pooled as <see cref="RunStore.Summarize"/> pools.</summary>
    public IReadOnlyList<ModelScore> Scores() =>
        RunStore.Summarize(Rows.Where(r => r.Key.Variant == ModelVariant.Full))
            .OrderBy(g => g.Dataset, StringComparer.Ordinal).ThenBy(g => ModelOrder(g.Model)).ThenBy(g => g.Preset, StringComparer.Ordinal)
            .Select(g =>
            {
                var cost = Cost(g.Dataset, new ModelSpec(g.Model));
                return new ModelScore(g.Dataset, ModelDisplay(g.Model), g.Preset, g.Folds, g.Seeds, g.Runs, g.MeanMacroF1, g.StdMacroF1,
                    g.MeanAccuracy, cost.Params, cost.Macs, g.NotPooled, g.UnfinishedSeeds);
            }).ToList();

    /// <summary>The paper's claim per dataset: TinierHAR − TinyHAR and TinierHAR − DeepConvLSTM, paired over runs both finished.</summary>
    public IReadOnlyList<PairedDifference> Claims()
    {
        var list = new List<PairedDifference>();
        foreach (var dataset in Rows.Select(r => r.Key.Dataset).Distinct().Order(StringComparer.Ordinal))
        {
            var tinier = Full(dataset, ModelCatalog.TinierHar);
            if (tinier.Count == 0) continue;
            foreach (var baseline in new[] { ModelCatalog.TinyHar, ModelCatalog.DeepConvLstm })
            {
                var other = Full(dataset, baseline);
                if (other.Count > 0)
                    list.Add(PairedDifference.Of(dataset, ModelDisplay(ModelCatalog.TinierHar), tinier, ModelDisplay(baseline), other));
            }
        }
        return list;
    }

    /// <summary>Every ablation variant (not design-space points) against its full model, paired over the same runs.</summary>
    public IReadOnlyList<AblationDelta> Ablations()
    {
        var list = new List<AblationDelta>();
        foreach (var g in Rows.Where(r => r.Key.Variant != ModelVariant.Full && ModelCatalog.Variants[r.Key.Model].Contains(r.Key.Variant))
                     .GroupBy(r => (r.Key.Dataset, r.Key.Model, r.Key.Variant))
                     .OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => ModelOrder(g.Key.Model)).ThenBy(g => g.Key.Variant, StringComparer.Ordinal))
        {
            var full = Full(g.Key.Dataset, g.Key.Model);
            var d = PairedDifference.Of(g.Key.Dataset, "", g, "", full);
            var (variant, reference) = (Cost(g.Key.Dataset, new ModelSpec(g.Key.Model, g.Key.Variant)), Cost(g.Key.Dataset, new ModelSpec(g.Key.Model)));
            list.Add(new AblationDelta(g.Key.Dataset, g.Key.Model, Label(g.Key.Model, g.Key.Variant), d.Pairs, d.MeanDelta, d.Std, d.Low, d.High,
                100.0 * (variant.Macs - reference.Macs) / reference.Macs, 100.0 * (variant.Params - reference.Params) / reference.Params));
        }
        return list;
    }

    /// <summary>Efficiency points (full models, ablations and design-space points) of every finished configuration.</summary>
    public IReadOnlyList<EfficiencyPoint> Points() => ResultsView.Points(Rows);

    /// <summary>The finished full-model runs of <paramref name="fold"/>'s dataset, preset, seed and fold (TinierHAR first).</summary>
    public IReadOnlyList<RunKey> FullModelsOf(RunKey fold) =>
        Rows.Select(r => r.Key).Where(k => k.Variant == ModelVariant.Full && k with { Model = "" } == fold with { Model = "", Variant = ModelVariant.Full })
            .OrderBy(k => ModelOrder(k.Model)).ToList();

    /// <summary>The fold to show learning curves and confusion matrices for: the first (dataset, preset, seed 1, fold) that
    /// every full model finished, else the first finished full-model fold; null without one.</summary>
    public RunKey? ShowcaseFold()
    {
        var full = Rows.Where(r => r.Key.Variant == ModelVariant.Full).Select(r => r.Key).ToList();
        var byFold = full.GroupBy(k => k with { Model = "" }).OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Seed).ThenBy(g => g.Key.Fold).ToList();
        var complete = byFold.FirstOrDefault(g => ModelCatalog.Models.All(m => g.Any(k => k.Model == m)))
            ?? byFold.OrderByDescending(g => g.Count()).FirstOrDefault();
        return complete?.OrderBy(k => ModelOrder(k.Model)).First();
    }

    /// <summary>Each configuration of a quick slice (rows trained elsewhere, e.g. by <c>--quick</c>) beside this study's
    /// mean for the same dataset and configuration, so a reader sees a smoke run for what it is.</summary>
    public IReadOnlyList<SliceBeside> Beside(IEnumerable<ResultRow> slice) =>
        RunStore.Summarize(slice).Select(s =>
        {
            var mine = RunStore.Summarize(Rows.Where(r => (r.Key.Dataset, r.Key.Model, r.Key.Variant) == (s.Dataset, s.Model, s.Variant))).FirstOrDefault();
            return new SliceBeside(s.Dataset, Label(s.Model, s.Variant), s.Preset, s.Folds, s.MeanMacroF1,
                mine?.Preset ?? "not in the study yet", mine?.Folds ?? 0, mine?.MeanMacroF1 ?? double.NaN);
        }).ToList();

    /// <summary>What the data says about the paper's claim, one sentence per dataset and baseline, from <see cref="Claims"/>
    /// and the counter's costs (so the takeaway of the notebooks and README is computed, never written by hand).</summary>
    public IReadOnlyList<string> Takeaways()
    {
        var lines = new List<string>();
        var scores = Scores();
        foreach (var c in Claims())
        {
            var verdict = c.Pairs < 2 ? "too few paired folds to say"
                : c.Significant ? (c.MeanDelta > 0 ? "TinierHAR scores higher" : "TinierHAR scores lower")
                : "no significant difference (the interval contains 0)";
            var (mine, theirs) = (scores.First(s => s.Dataset == c.Dataset && s.Model == c.Config), scores.First(s => s.Dataset == c.Dataset && s.Model == c.Against));
            lines.Add(string.Create(Inv, $"{DatasetName(c.Dataset)}: {c.Config} − {c.Against} = {c.MeanDelta:+0.000;−0.000} macro F1 over {c.Pairs} paired fold(s), 95 % CI {Interval(c.Low, c.High)}: {verdict}; " +
                $"{c.Config} has {Times(theirs.Parameters, mine.Parameters)} parameters and {Times(theirs.Macs, mine.Macs)} MACs."));
        }
        foreach (var dataset in scores.Select(s => s.Dataset).Distinct())
        {
            var models = scores.Where(s => s.Dataset == dataset).Select(s => s.Model).ToList();
            var missing = ModelCatalog.Models.Select(ModelDisplay).Except(models).ToList();
            if (missing.Count > 0) lines.Add($"{DatasetName(dataset)}: no finished fold of {string.Join(" or ", missing)} yet, so no comparison with {(missing.Count > 1 ? "them" : "it")}.");
        }
        if (lines.Count == 0) lines.Add("No finished fold in the study yet.");
        return lines;
    }

    /// <summary>The README's Results tables (Markdown): scores with costs, the paired claims, the ablations, the coverage.</summary>
    public string Markdown()
    {
        var s = new StringBuilder();
        s.AppendLine("| dataset | model | preset | folds | seeds | macro F1 (mean ± std) | accuracy | params | MACs |");
        s.AppendLine("|---|---|---|---:|---:|---|---:|---:|---:|");
        var scores = Scores();
        foreach (var r in scores)
            s.AppendLine(string.Create(Inv, $"| {DatasetName(r.Dataset)} | {r.Model} | {r.Preset} | {r.Folds} | {r.Seeds} | {Metrics.MeanSpread(r.MacroF1, r.Std, r.Runs, 3)} | {r.Accuracy:F3} | {r.Parameters:N0} | {r.Macs:N0} |"));
        foreach (var r in scores.Where(r => r.NotPooled > 0))
            s.AppendLine().AppendLine(string.Create(Inv, $"Not in the mean yet: {r.NotPooled} finished run(s) of {DatasetName(r.Dataset)} {r.Model}, " +
                $"seed(s) {r.UnfinishedSeeds}, which join it once they have every fold of the first seed ({r.Folds})."));
        s.AppendLine();
        s.AppendLine("| dataset | difference | paired runs | mean ΔF1 | 95 % CI (Student t) | TinierHAR higher in |");
        s.AppendLine("|---|---|---:|---:|---|---:|");
        foreach (var c in Claims())
            s.AppendLine(string.Create(Inv, $"| {DatasetName(c.Dataset)} | {c.Config} − {c.Against} | {c.Pairs} | {c.MeanDelta:+0.000;−0.000} | {Interval(c.Low, c.High)} | {c.Wins} of {c.Pairs} |"));
        var ablations = Ablations();
        if (ablations.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("| dataset | variant | paired runs | ΔF1 vs full | 95 % CI | ΔMACs | Δparams |");
            s.AppendLine("|---|---|---:|---:|---|---:|---:|");
            foreach (var a in ablations)
                s.AppendLine(string.Create(Inv, $"| {DatasetName(a.Dataset)} | {a.Variant} | {a.Pairs} | {a.DeltaF1:+0.000;−0.000} | {Interval(a.Low, a.High)} | {a.MacsChangePercent:+0.0;−0.0} % | {a.ParametersChangePercent:+0.0;−0.0} % |"));
        }
        s.AppendLine();
        s.AppendLine("| tier | what it answers | folds finished | planned | worker-hours spent | worker-hours left |");
        s.AppendLine("|---:|---|---:|---:|---:|---:|");
        foreach (var t in Tiers())
            s.AppendLine(string.Create(Inv, $"| {(t.Tier == 0 ? "–" : t.Tier)} | {t.Title} | {t.Done} | {t.Planned} | {t.WorkerHoursSpent:0.0} | {HoursLeft(t)} |"));
        return s.ToString();
    }

    /// <summary>"3.7× fewer" when <paramref name="mine"/> is the smaller count, "1.2× more" otherwise.</summary>
    static string Times(long theirs, long mine) =>
        mine <= theirs ? string.Create(Inv, $"{(double)theirs / mine:0.0}× fewer") : string.Create(Inv, $"{(double)mine / theirs:0.0}× more");

    static string HoursLeft(TierCoverage t) =>
        t.Done == t.Planned ? "0" : t.WorkerHoursLeft is double h ? string.Create(Inv, $"{h:0.0}") : "unknown";

    static string Interval(double low, double high) =>
        double.IsNaN(low) ? "n/a (one pair)" : string.Create(Inv, $"[{low:+0.000;−0.000}, {high:+0.000;−0.000}]");

    List<ResultRow> Full(string dataset, string model) => Rows.Where(r => r.Key.Dataset == dataset && r.Key.Model == model && r.Key.Variant == ModelVariant.Full).ToList();

    static Efficiency.EfficiencyReport Cost(string dataset, ModelSpec spec)
    {
        var info = DatasetRegistry.Get(dataset);
        return CostTables.Count(spec, new InputShape(info.WindowT, info.C, info.K));
    }

    static string Label(string model, string variant) => DesignSpace.DisplayName(ModelCatalog.ParseRunVariant(model, variant));
    static string ModelDisplay(string model) => DesignSpace.DisplayName(new ModelSpec(model));
    static string DatasetName(string key) => DatasetRegistry.TryGet(key, out var info) ? info.Folder : key; // e.g. HAPT, USC-HAD
    static int ModelOrder(string model) { var i = ModelCatalog.Models.ToList().IndexOf(model); return i < 0 ? int.MaxValue : i; }
}
