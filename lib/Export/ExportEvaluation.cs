using TinierHar.Data;
using TinierHar.Kernels;
using TinierHar.Models;
using TinierHar.Training;
using static TorchSharp.torch;

namespace TinierHar.Export;

/// <summary>
/// One way of running a trained fold on its test windows: TorchSharp (the reference), the float32 C export or the int8
/// C export, each compiled with the host's gcc. Macro F1 and accuracy as <c>Metrics.Compute</c> scores them;
/// <see cref="MaxAbsLogitDifference"/> is the largest |logit − TorchSharp's logit| over all windows and classes and
/// <see cref="PredictionsChanged"/> the windows whose predicted class differs from TorchSharp's (0 for TorchSharp
/// itself). <see cref="WeightBytes"/> and <see cref="ActivationBytes"/> are the C's constant weights (flash) and static
/// buffers (RAM); null for TorchSharp.
/// </summary>
public sealed record ExportScore(string Build, int TestWindows, double MacroF1, double Accuracy, double MaxAbsLogitDifference,
    int PredictionsChanged, long? WeightBytes, long? ActivationBytes);

/// <summary>
/// A trained fold's C exports checked on real data (<see cref="Evaluate"/>): float32 and (TinierHAR full) int8, both
/// compiled with gcc and run on the fold's test windows (rebuilt as <c>tinierhar evaluate</c> does), against TorchSharp's
/// eval forward on the plain path. Notebook 05 shows it; <c>tests/Export/ExportEvaluationTests.cs</c> asserts on it.
/// </summary>
public sealed class ExportEvaluation
{
    /// <summary>What was exported (<see cref="ExportSource.Origin"/>).</summary>
    public required string Origin { get; init; }
    /// <summary>The fold's test windows' indices (the order of the predictions).</summary>
    public required int[] WindowIndices { get; init; }
    /// <summary>TorchSharp, then float32 C, then int8 C when it was evaluated.</summary>
    public required IReadOnlyList<ExportScore> Scores { get; init; }
    /// <summary>Predicted class per test window, per build (same order as <see cref="Scores"/>).</summary>
    public required IReadOnlyList<long[]> Predictions { get; init; }
    /// <summary>The exports that were compiled (float32, then int8 when evaluated).</summary>
    public required IReadOnlyList<CExport> Exports { get; init; }

    public ExportScore Torch => Scores[0];
    public ExportScore Float => Scores[1];
    /// <summary>The int8 C's score, or null when it was not evaluated.</summary>
    public ExportScore? Int8 => Scores.Count > 2 ? Scores[2] : null;

    /// <summary>
    /// Exports <paramref name="source"/> (a stored fold: <see cref="ExportSource.FromRun"/>) as float32 C and, when
    /// <paramref name="int8"/> (TinierHAR full only), as int8 C calibrated on the fold's training windows; compiles both
    /// in <paramref name="workDir"/> (<c>float/</c>, <c>int8/</c>) and runs them and TorchSharp on the fold's test
    /// windows, read from <paramref name="data"/> through <paramref name="cache"/> (null: <see cref="WindowCache.Resolve"/>).
    /// </summary>
    /// <exception cref="TinierHarException">A bare checkpoint (no fold), the dataset missing, gcc missing, or a model or
    /// variant the export does not support.</exception>
    public static ExportEvaluation Evaluate(ExportSource source, DataFolder data, WindowCache? cache, string workDir, bool int8 = true)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(data);
        cache ??= WindowCache.Resolve(null);
        using var fold = source.PrepareFold(data, cache);
        var test = fold.Test;
        int k = source.Shape.Classes;
        var labels = Array.ConvertAll(test.Y, y => (long)y);

        var exports = new List<CExport> { RunExport.ToC(source) };
        if (int8) exports.Add(RunExport.ToC(source, new ExportRequest(ExportFormat.C, Int8: true, Data: data, Cache: cache)));

        using var torchLogits = TorchLogits(source.Model, test.XTensor);
        var torchPredictions = ArgMax(torchLogits);
        var scores = new List<ExportScore> { Score("TorchSharp", labels, torchPredictions, torchPredictions, k, 0, null) };
        var predictions = new List<long[]> { torchPredictions };
        foreach (var export in exports)
        {
            var isInt8 = exports.IndexOf(export) == 1;
            var dir = Path.Combine(Path.GetFullPath(workDir), isInt8 ? "int8" : "float");
            RunExport.WriteAtomically(dir, export.Files);
            using var logits = HostBuild.Predict(HostBuild.Compile(dir, export.Prefix), test.XTensor, k);
            double diff;
            using (var delta = logits - torchLogits)
            using (var abs = delta.abs())
            using (var max = abs.max()) diff = max.item<float>();
            var p = ArgMax(logits);
            predictions.Add(p);
            scores.Add(Score(isInt8 ? "int8 C" : "float32 C", labels, p, torchPredictions, k, diff, export));
        }
        return new ExportEvaluation { Origin = source.Origin, WindowIndices = test.WindowIndices, Scores = scores, Predictions = predictions, Exports = exports };
    }

    static ExportScore Score(string build, long[] labels, long[] predictions, long[] torch, int classes, double diff, CExport? export)
    {
        var m = Metrics.Compute(labels, predictions, classes);
        var changed = predictions.Zip(torch).Count(p => p.First != p.Second);
        return new ExportScore(build, labels.Length, m.MacroF1, m.Accuracy, diff, changed, export?.WeightBytes, export?.ActivationBytes);
    }

    /// <summary>TorchSharp's eval forward on the plain path (no grad), in batches of 256 windows.</summary>
    static Tensor TorchLogits(nn.Module<Tensor, Tensor> model, Tensor windows)
    {
        model.eval();
        using var _ = no_grad();
        using var plain = KernelSwitch.Plain();
        var parts = new List<Tensor>();
        try
        {
            for (long start = 0; start < windows.shape[0]; start += 256)
            {
                using var batch = windows.narrow(0, start, Math.Min(256, windows.shape[0] - start));
                parts.Add(model.call(batch));
            }
            return cat(parts, 0);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    static long[] ArgMax(Tensor logits)
    {
        using var a = logits.argmax(1);
        return a.data<long>().ToArray();
    }

    /// <summary>
    /// The int8 C export of a TinierHAR full <paramref name="source"/> with nominal activation ranges: the layout and byte
    /// counts of the calibrated export (calibration changes values, not sizes), without data; for footprints only.
    /// </summary>
    public static CExport Int8ForSizes(ExportSource source)
    {
        var spec = source.Spec;
        if (spec.Model != ModelCatalog.TinierHar || spec.Variant != ModelVariant.Full)
            throw new TinierHarException($"int8: the int8 export supports TinierHAR full only, not {spec.Model} {spec.Variant}");
        var weights = TinierHarWeights.From(source.Model, spec, source.Shape);
        return TinierHarInt8CExporter.Export(weights, Int8Calibration.Nominal(weights.Blocks.Count), source.Origin + " (nominal int8 ranges: sizes only)");
    }
}
