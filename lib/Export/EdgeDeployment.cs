using System.Globalization;
using TinierHar.Analysis;
using TinierHar.Data;
using TinierHar.Efficiency;
using TinierHar.Models;
using TorchSharp;

namespace TinierHar.Export;

/// <summary>A file an export wrote and its size.</summary>
public sealed record ExportedFile(string Name, long Bytes);

/// <summary>
/// Batch-1, one-thread latency of one model at one dataset's window shape: TorchSharp's eval forward
/// (<see cref="Latency.TorchSharpMicroseconds"/>) and the exported C (<see cref="HostBuild.LatencyMicroseconds"/>), both
/// the median over 7 blocks of the mean time per window, in microseconds (rounded to 0.1 µs).
/// </summary>
public sealed record LatencyRow(string Dataset, string Model, int Window, int Channels, double TorchSharpMicroseconds, double CMicroseconds)
{
    /// <summary>How many times faster the C is than TorchSharp (rounded to 0.01).</summary>
    public double Speedup => Math.Round(TorchSharpMicroseconds / CMicroseconds, 2);
}

/// <summary>Flash and RAM of one C export of a model alone on a Cortex-M4F (<see cref="CortexM4Build.Measure"/>), beside the
/// bytes the export declares (constant weights, static activation buffers).</summary>
public sealed record CortexM4Row(string Build, long Flash, long Ram, long WeightBytes, long ActivationBytes);

/// <summary>Footprint rows of one configuration (model, precision) summarised over the datasets: the range of weight
/// and activation bytes, and on how many datasets it fits the budget it was summarised against.</summary>
public sealed record FootprintSummary(string Model, string Precision, int Datasets, long MinWeightBytes, long MaxWeightBytes,
    long MinActivationBytes, long MaxActivationBytes, int Fit);

/// <summary>
/// The trained fold notebook 05 exports and what its cells need: <see cref="RunDir"/> (null when the study has no
/// finished TinierHAR full fold) and whether the data folder holds its dataset. A cell that needs the test windows starts
/// with <c>if (!plan.HasData) return plan.NoData(...)</c>, the guard of every <c>needs-data</c> cell.
/// </summary>
public sealed record EdgePlan(string? RunDir, string? Dataset, int? Fold, DataFolder Data)
{
    /// <summary>True when there is a run and its dataset is in the data folder.</summary>
    public bool HasData => RunDir is not null && Dataset is not null && Data.Has(DatasetRegistry.Get(Dataset));

    /// <summary>One line: what was skipped, what it needs and how to get it.</summary>
    public string NoData(string what = "this cell") => RunDir is null || Dataset is null
        ? NoRun(what)
        : $"{what} needs the {DatasetRegistry.Get(Dataset).Folder} dataset, not found in {Data.Root}: skipped. {Notebooks.NotebookHost.HowToGetData}.";

    /// <summary>One line for a cell that needs a trained fold when the study has none.</summary>
    public string NoRun(string what = "this cell") =>
        $"{what} needs a trained TinierHAR fold, and the study has no finished TinierHAR full fold yet: skipped (`tinierhar study run --out results`, or notebook 02 with Quick = false).";

    /// <summary>Where the notebook writes this run's exports: <c>RUNS/export/{dataset}-tinierhar-fold{fold}</c>.</summary>
    public string ExportDir(string runsDir) =>
        Path.GetFullPath(Path.Combine(runsDir, "export", RunDir is null ? "none" : $"{Dataset}-tinierhar-fold{Fold}"));
}

/// <summary>
/// The steps of notebook 05 (edge deployment) that are more than one library call: the files of an export, latency of
/// the three models in TorchSharp and in C, the Cortex-M4F sizes, the footprint's summary and the computed takeaways.
/// </summary>
public static class EdgeDeployment
{
    /// <summary>The datasets whose window shapes the latency is measured at (as <c>bench/latency</c>).</summary>
    public static IReadOnlyList<string> LatencyDatasets { get; } = ["uschad", "mhealth"];

    /// <summary>The paper's latency goal for TinierHAR, in microseconds.</summary>
    public const double LatencyGoalMicroseconds = 50;

    /// <summary>
    /// The fold to export: TinierHAR full on the study's <see cref="StudyResults.ShowcaseFold"/> (the fold notebook 02
    /// shows), else the study's first finished TinierHAR full fold (by dataset, seed, fold), else none.
    /// </summary>
    public static EdgePlan Plan(StudyResults study, DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(study);
        var shown = study.ShowcaseFold();
        var tinier = (shown is null ? [] : study.FullModelsOf(shown)).FirstOrDefault(k => k.Model == ModelCatalog.TinierHar)
            ?? study.Rows.Select(r => r.Key).Where(k => k.Model == ModelCatalog.TinierHar && k.Variant == ModelVariant.Full)
                .OrderBy(k => k.Dataset, StringComparer.Ordinal).ThenBy(k => k.Seed).ThenBy(k => k.Fold).FirstOrDefault();
        return tinier is null ? new EdgePlan(null, null, null, data) : new EdgePlan(study.Store.RunDir(tinier), tinier.Dataset, tinier.Fold, data);
    }

    /// <summary>The footprint table of notebook 05: TinierHAR, TinyHAR and DeepConvLSTM in float32 and TinierHAR in int8,
    /// on each of the 14 paper datasets' shapes (<see cref="Footprint.AllDatasets"/>).</summary>
    public static IReadOnlyList<FootprintRow> Footprints() =>
        [.. ModelCatalog.Models.SelectMany(m => Footprint.AllDatasets(new ModelSpec(m))), .. Footprint.AllDatasets(new ModelSpec(ModelCatalog.TinierHar), int8: true)];

    /// <summary>The files at <paramref name="paths"/> (name and size), in the given order.</summary>
    public static IReadOnlyList<ExportedFile> Files(IEnumerable<string> paths) =>
        paths.Select(p => new ExportedFile(Path.GetFileName(p), new FileInfo(p).Length)).ToList();

    /// <summary>
    /// Latency of <paramref name="models"/> (default: the three paper models, full) at each of <paramref name="datasets"/>'
    /// window shapes (default <see cref="LatencyDatasets"/>), K = 12 as <c>bench/latency</c>: seeded random weights
    /// (latency does not depend on their values), one torch thread (restored afterwards), C built in
    /// <paramref name="workDir"/>; blocks of about <paramref name="blockSeconds"/>.
    /// </summary>
    public static IReadOnlyList<LatencyRow> Latency(string workDir, double blockSeconds = 0.3, IEnumerable<string>? datasets = null,
        IEnumerable<string>? models = null, int seed = 1)
    {
        var rows = new List<LatencyRow>();
        var threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            foreach (var dataset in datasets ?? LatencyDatasets)
            {
                var info = DatasetRegistry.Get(dataset);
                var shape = new InputShape(info.WindowT, info.C, 12);
                foreach (var name in models ?? ModelCatalog.Models)
                {
                    torch.manual_seed(seed);
                    var spec = new ModelSpec(name).Resolve();
                    using var model = ModelCatalog.Create(spec, shape);
                    model.eval();
                    var torchUs = Export.Latency.TorchSharpMicroseconds(model, shape, blockSeconds);
                    using var source = ExportSource.Of(model, spec, shape, $"latency, seed {seed}, {dataset} shape");
                    var dir = Path.Combine(Path.GetFullPath(workDir), $"{name}-{dataset}");
                    RunExport.Export(source, new ExportRequest(ExportFormat.C), dir);
                    var cUs = HostBuild.LatencyMicroseconds(dir, name, blockSeconds);
                    rows.Add(new LatencyRow(info.Key, name, info.WindowT, info.C, Math.Round(torchUs, 1), Math.Round(cUs, 1)));
                }
            }
        }
        finally
        {
            torch.set_num_threads(threads);
        }
        return rows;
    }

    /// <summary>True when Debian's <c>arm-none-eabi-gcc</c> is on the PATH; else <paramref name="note"/> says how to get it.</summary>
    public static bool HasArmToolchain(out string note)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, CortexM4Build.Gcc)));
        note = found ? "" : $"{CortexM4Build.Gcc} not found: the Cortex-M4F sizes were skipped ({ExternalTool.ArmInstall}).";
        return found;
    }

    /// <summary>Flash and RAM of each export alone on a Cortex-M4F (<see cref="CortexM4Build.Measure"/>), built under
    /// <paramref name="workDir"/>; <paramref name="exports"/> pairs a label with each export.</summary>
    public static IReadOnlyList<CortexM4Row> CortexM4(IEnumerable<(string Build, CExport Export)> exports, string workDir) =>
        exports.Select((e, i) =>
        {
            var m4 = CortexM4Build.Measure(e.Export, Path.Combine(Path.GetFullPath(workDir), $"m4-{i}"));
            return new CortexM4Row(e.Build, m4.Flash, m4.Ram, e.Export.WeightBytes, e.Export.ActivationBytes);
        }).ToList();

    /// <summary>Label of a footprint row's configuration, e.g. "TinierHAR int8".</summary>
    public static string Configuration(FootprintRow row) =>
        $"{DesignSpace.DisplayName(new ModelSpec(row.Model, row.Variant))} {(row.Int8 ? "int8" : "float32")}";

    /// <summary>One row per configuration (in first-appearance order): the range of weights and activations over the
    /// datasets and how many fit <paramref name="budget"/>.</summary>
    public static IReadOnlyList<FootprintSummary> Summarize(IReadOnlyList<FootprintRow> rows, McuBudget budget) =>
        rows.GroupBy(r => (r.Model, r.Variant, r.Int8)).Select(g => new FootprintSummary(
            DesignSpace.DisplayName(new ModelSpec(g.Key.Model, g.Key.Variant)), g.Key.Int8 ? "int8" : "float32", g.Count(),
            g.Min(r => r.WeightBytes), g.Max(r => r.WeightBytes), g.Min(r => r.ActivationBytes), g.Max(r => r.ActivationBytes),
            g.Count(r => r.Fits(budget)))).ToList();

    /// <summary>One sentence per configuration: on how many of the datasets it fits <paramref name="budget"/>, and which
    /// ones do not fit (with the largest weights against the flash).</summary>
    public static IReadOnlyList<string> Fits(IReadOnlyList<FootprintRow> rows, McuBudget budget)
    {
        var lines = new List<string>();
        foreach (var g in rows.GroupBy(Configuration))
        {
            var misfits = g.Where(r => !r.Fits(budget)).ToList();
            var n = g.Count();
            lines.Add(misfits.Count == 0
                ? $"{g.Key} fits the {budget.Name} MCU on all {n} datasets (at most {Kb(g.Max(r => r.WeightBytes))} of weights, {Kb(g.Max(r => r.ActivationBytes))} of activations)."
                : $"{g.Key} fits on {n - misfits.Count} of {n} datasets; not on {string.Join(", ", misfits.Select(r => r.Dataset))} "
                  + $"(up to {Kb(misfits.Max(r => r.WeightBytes))} of weights, {Kb(misfits.Max(r => r.ActivationBytes))} of activations).");
        }
        return lines;
    }

    /// <summary>
    /// What notebook 05 shows, computed: the C against TorchSharp and int8 against float on the run's test windows (when
    /// evaluated), the MCU fit, the latency against <see cref="LatencyGoalMicroseconds"/> and the Cortex-M4F sizes.
    /// </summary>
    public static IReadOnlyList<string> Takeaways(ExportEvaluation? evaluation, IReadOnlyList<FootprintRow> footprint, McuBudget budget,
        IReadOnlyList<LatencyRow> latency, IReadOnlyList<CortexM4Row>? cortexM4)
    {
        var lines = new List<string>();
        if (evaluation is not null)
        {
            var f = evaluation.Float;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"The float32 C export is the model: on {f.TestWindows} test windows its logits are within {f.MaxAbsLogitDifference:0.0e0} of TorchSharp's and {Same(f.PredictionsChanged)}."));
            if (evaluation.Int8 is { } q)
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"int8 costs {100 * (f.MacroF1 - q.MacroF1):0.00} points of macro F1 ({f.MacroF1:0.0000} → {q.MacroF1:0.0000}; {q.PredictionsChanged} of {q.TestWindows} predictions change) "
                    + $"for {Ratio(f.WeightBytes, q.WeightBytes)} fewer weight bytes ({Kb(f.WeightBytes!.Value)} → {Kb(q.WeightBytes!.Value)}) and {Ratio(f.ActivationBytes, q.ActivationBytes)} less RAM ({Kb(f.ActivationBytes!.Value)} → {Kb(q.ActivationBytes!.Value)})."));
        }
        else lines.Add("The exports were not checked on real test windows here (the run's dataset is not in the data folder): the tests do it on CI.");
        lines.AddRange(Fits(footprint, budget));
        foreach (var d in latency.GroupBy(r => r.Dataset))
        {
            var t = d.FirstOrDefault(r => r.Model == ModelCatalog.TinierHar);
            if (t is null) continue;
            var others = d.Where(r => r.Model != ModelCatalog.TinierHar)
                .Select(r => string.Create(CultureInfo.InvariantCulture, $"{DesignSpace.DisplayName(new ModelSpec(r.Model))} {Us(r.CMicroseconds)}"));
            var head = string.Create(CultureInfo.InvariantCulture,
                $"Latency on {DatasetRegistry.Get(d.Key).Folder}'s {t.Window}×{t.Channels} window (this CPU, one thread, batch 1): TinierHAR's C takes {Us(t.CMicroseconds)} ({(t.CMicroseconds <= LatencyGoalMicroseconds ? "within" : "over")} the paper's {LatencyGoalMicroseconds:0} µs goal), TorchSharp {Us(t.TorchSharpMicroseconds)} (the C is {(t.Speedup >= 1 ? t.Speedup : 1 / t.Speedup):0.#}× {(t.Speedup >= 1 ? "faster" : "slower")})");
            lines.Add(head + (others.Any() ? $"; C of {string.Join(", ", others)}." : "."));
        }
        if (cortexM4 is { Count: > 0 })
            lines.Add("On a Cortex-M4F the model alone takes " + string.Join("; ", cortexM4.Select(r => $"{r.Build}: {Kb(r.Flash)} flash, {Kb(r.Ram)} RAM")) + " (stack not included).");
        return lines;
    }

    static string Us(double us) => us.ToString(us < 100 ? "0.0" : "#,0", CultureInfo.InvariantCulture) + " µs";

    static string Same(int changed) => changed == 0 ? "every predicted class is TorchSharp's" : $"{changed} predicted classes differ from TorchSharp's";

    static string Ratio(long? a, long? b) => a is long x && b is long y && y > 0 ? (x / (double)y).ToString("0.0", CultureInfo.InvariantCulture) + "×" : "?";

    /// <summary>Bytes as "12.3 KB" (1 KB = 1024 bytes), or "1.23 MB".</summary>
    public static string Kb(long bytes) => bytes >= 1 << 20
        ? (bytes / (double)(1 << 20)).ToString("0.00", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB";
}
