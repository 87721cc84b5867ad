using System.Globalization;
using TinierHar.Data;
using TinierHar.Models;
using TinierHar.Training;

namespace TinierHar.Analysis;

/// <summary>Reads what training left in a <see cref="RunStore"/> for the notebooks: efficiency points, epoch logs, confusion matrices.</summary>
public static class ResultsView
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// One <see cref="EfficiencyPoint"/> per (dataset, model, run variant, preset) of the finished rows
    /// (<see cref="RunStore.Summarize"/>), costed by our counter with the dataset's registry shape (T, C, K) and the spec
    /// parsed from the run variant (<see cref="ModelCatalog.ParseRunVariant"/>); Label = <see cref="DesignSpace.DisplayName"/>.
    /// </summary>
    /// <param name="rows">Rows of <c>results.csv</c>.</param>
    /// <param name="preset">Keep only runs whose training label is this preset, exactly ("quick-e2-n2000") or as its
    /// first part ("quick" keeps "quick" and "quick-e2-n2000"); null keeps all.</param>
    public static IReadOnlyList<EfficiencyPoint> Points(IReadOnlyList<ResultRow> rows, string? preset = null)
    {
        var points = new List<EfficiencyPoint>();
        foreach (var s in RunStore.Summarize(rows))
        {
            if (preset is not null && s.Preset != preset && !s.Preset.StartsWith(preset + "-", StringComparison.Ordinal)) continue;
            if (!DatasetRegistry.TryGet(s.Dataset, out var info))
                throw new TinierHarException($"results: dataset '{s.Dataset}' is not in the registry, so its input shape is unknown");
            var spec = ModelCatalog.ParseRunVariant(s.Model, s.Variant);
            var report = CostTables.Count(spec, new InputShape(info.WindowT, info.C, info.K));
            points.Add(new EfficiencyPoint(s.Dataset, spec.Model, s.Variant, DesignSpace.DisplayName(spec), report.Params, report.Macs,
                s.MeanMacroF1, s.StdMacroF1, s.Runs, s.Preset));
        }
        return points;
    }

    /// <summary>The rows of a run folder's <c>epochs.csv</c>; throws <see cref="TinierHarException"/> naming file and line.</summary>
    public static IReadOnlyList<EpochLog> Epochs(string runDir)
    {
        var path = Path.Combine(runDir, RunStore.EpochsFile);
        var lines = ReadLines(path);
        var col = Columns(path, lines[0], "epoch", "train_loss", "validation_loss", "validation_accuracy", "validation_macro_f1", "learning_rate", "seconds", "improved");
        var list = new List<EpochLog>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = Fields(path, lines[i], i, lines[0].Split(',').Length);
            try
            {
                list.Add(new EpochLog(int.Parse(f[col["epoch"]], Inv), D(f[col["train_loss"]]), D(f[col["validation_loss"]]),
                    D(f[col["validation_accuracy"]]), D(f[col["validation_macro_f1"]]), D(f[col["learning_rate"]]), D(f[col["seconds"]]),
                    f[col["improved"]] switch { "1" => true, "0" => false, var x => throw new FormatException($"improved must be 0 or 1, got '{x}'") }));
            }
            catch (FormatException e) { throw new TinierHarException($"{path}, line {i + 1}: {e.Message}"); }
        }
        return list;
    }

    /// <summary>
    /// Confusion matrix [true label, prediction] of a run folder's <c>test_predictions.csv</c> (columns label, prediction);
    /// throws <see cref="TinierHarException"/> naming file and line for a malformed row or a class outside 0..classes−1.
    /// </summary>
    public static int[,] Confusion(string runDir, int classes)
    {
        if (classes < 1) throw new TinierHarException($"classes must be >= 1, got {classes}");
        var path = Path.Combine(runDir, RunStore.PredictionsFile);
        var lines = ReadLines(path);
        var col = Columns(path, lines[0], "label", "prediction");
        int width = lines[0].Split(',').Length;
        var m = new int[classes, classes];
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = Fields(path, lines[i], i, width);
            if (!int.TryParse(f[col["label"]], NumberStyles.Integer, Inv, out var y) || !int.TryParse(f[col["prediction"]], NumberStyles.Integer, Inv, out var p))
                throw new TinierHarException($"{path}, line {i + 1}: label and prediction must be integers, got '{lines[i]}'");
            if (y < 0 || y >= classes || p < 0 || p >= classes)
                throw new TinierHarException($"{path}, line {i + 1}: label {y} / prediction {p} outside 0..{classes - 1}");
            m[y, p]++;
        }
        return m;
    }

    static string[] ReadLines(string path)
    {
        if (!File.Exists(path)) throw new TinierHarException($"{path}: file not found");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new TinierHarException($"{path}, line 1: empty file, expected a header");
        return lines;
    }

    static Dictionary<string, int> Columns(string path, string header, params string[] required)
    {
        var names = header.Split(',');
        var col = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < names.Length; j++) col.TryAdd(names[j].Trim(), j);
        var missing = required.Where(r => !col.ContainsKey(r)).ToList();
        if (missing.Count > 0) throw new TinierHarException($"{path}, line 1: header lacks column(s) {string.Join(", ", missing)}");
        return col;
    }

    static string[] Fields(string path, string line, int index, int expected)
    {
        var f = line.Split(',');
        if (f.Length < expected) throw new TinierHarException($"{path}, line {index + 1}: expected {expected} fields, got {f.Length}");
        return f;
    }

    static double D(string s) => double.Parse(s, NumberStyles.Float, Inv);
}
