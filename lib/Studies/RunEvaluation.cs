using System.Globalization;
using System.Text.Json;
using TinierHar.Data;
using TinierHar.Interop;
using TinierHar.Models;
using TinierHar.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Studies;

/// <summary>A stored fold re-tested (from its best.pth) or re-trained (from its config.json, <c>Retrained</c>): the scores
/// now, the stored ones, and how many test predictions differ.</summary>
public sealed record RunCheck(RunKey Key, double Accuracy, double MacroF1, double StoredAccuracy, double StoredMacroF1,
    int TestWindows, int DifferentPredictions, bool Retrained = false)
{
    /// <summary>True when the re-test gives the stored predictions (and so the stored scores).</summary>
    public bool Matches => DifferentPredictions == 0 && Math.Abs(Accuracy - StoredAccuracy) < 1e-12 && Math.Abs(MacroF1 - StoredMacroF1) < 1e-12;
}

/// <summary>
/// <c>tinierhar evaluate --run RUN_DIR</c>: rebuilds a stored fold's test windows from its <c>config.json</c> (dataset,
/// fold, seed: the same split and the same per-fold normalisation), loads its <c>best.pth</c> into the model the config
/// describes, tests it in eval mode as the trainer did (oneDNN gate included), and compares accuracy, macro F1 and every
/// prediction with the stored <c>results.csv</c> row and <c>test_predictions.csv</c>. A fold trained on the plain path
/// (its config's <c>run.engine</c>) is tested on the plain path: the fused kernels round differently (within 1e-5).
/// A fold whose <c>best.pth</c> is not kept (for its size budget the committed study keeps it for seed 1 only, and
/// DeepConvLSTM's for fold 0 only) is checked with <c>retrain</c>: the fold is trained again in memory from its
/// <c>config.json</c> (seeded, one thread, deterministic: the same epochs, weights and predictions), which takes as long
/// as its recorded training.
/// </summary>
public static class RunEvaluation
{
    /// <param name="runDir">A finished fold's folder in a run store.</param>
    /// <param name="data">Where the fold's dataset is.</param>
    /// <param name="cache">Window cache (optional).</param>
    /// <param name="retrain">Train the fold again from its config.json instead of loading its best.pth.</param>
    /// <param name="progress">Per-epoch progress of the re-training.</param>
    public static RunCheck Evaluate(string runDir, DataFolder data, WindowCache? cache, bool retrain = false,
        IProgress<TrainingProgress>? progress = null)
    {
        runDir = Path.GetFullPath(runDir);
        var configPath = Path.Combine(runDir, RunStore.ConfigFile);
        var bestPath = Path.Combine(runDir, Trainer.BestFile);
        foreach (var required in new[] { configPath, Path.Combine(runDir, RunStore.PredictionsFile) })
            if (!File.Exists(required)) throw new TinierHarException($"{required} not found: '{runDir}' is not the folder of a finished run");
        string dataset; int fold; ModelSpec spec; TrainingConfig config; string engine;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(configPath));
            var root = doc.RootElement;
            dataset = root.GetProperty("dataset").GetString()!;
            fold = root.GetProperty("fold").GetInt32();
            spec = (root.GetProperty("model").Deserialize<ModelSpec>() ?? throw new TinierHarException("no model")).Resolve();
            config = TrainingConfig.FromJson(root.GetProperty("training").GetRawText()).Validate();
            engine = root.TryGetProperty("run", out var run) && run.TryGetProperty("engine", out var e) ? e.GetString() ?? "plain" : "plain";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or TinierHarException)
        {
            throw new TinierHarException($"{configPath}: not a run configuration ({e.Message})");
        }
        var key = new RunKey(dataset, spec.Model, spec.RunVariant, config.Label, config.Seed, fold);
        var storeRoot = Path.GetFullPath(Path.Combine(runDir, "..", "..", "..", ".."));
        if (!string.Equals(Path.Combine(storeRoot, key.RelativeDir), runDir, StringComparison.Ordinal))
            throw new TinierHarException($"{runDir}: its config.json describes {key.RelativeDir}, which is not this folder's place in a run store");
        var stored = new RunStore(storeRoot).ReadResults().FirstOrDefault(r => r.Key == key && r.Status == ResultRow.Done)
            ?? throw new TinierHarException($"{Path.Combine(storeRoot, RunStore.ResultsFile)} has no finished row for {key.RelativeDir}");
        var storedPredictions = ReadPredictions(Path.Combine(runDir, RunStore.PredictionsFile));
        if (!retrain && !File.Exists(bestPath))
            throw new TinierHarException($"{bestPath} not found: this fold's weights are not kept (a committed study keeps "
                + $"them for seed 1 only, DeepConvLSTM's for fold 0 only); add --retrain to train it again from its config.json and compare "
                + $"(deterministic at one thread; its training took {stored.Seconds / 60:F0} min)");

        var info = DatasetRegistry.Get(dataset);
        var loaded = LoadedDataset.Load(info, data, cache);
        using var prepared = loaded.Prepare(fold, config.Seed);
        using var path = engine == "plain" ? Kernels.KernelSwitch.Plain() : null; // the engine the fold was trained on
        var predictions = retrain ? Trainer.Run(prepared, spec, config, null, progress).TestPredictions : Retest(prepared, spec, config, bestPath);
        var labels = prepared.Test.Y;
        if (storedPredictions.Count != predictions.Length)
            throw new TinierHarException($"{Path.Combine(runDir, RunStore.PredictionsFile)}: {storedPredictions.Count} test windows stored, the fold has {predictions.Length} now (different data?)");
        int different = 0;
        for (int i = 0; i < predictions.Length; i++)
            if (storedPredictions[i].Window != prepared.Test.WindowIndices[i] || storedPredictions[i].Prediction != predictions[i]) different++;
        var m = Metrics.Compute(Array.ConvertAll(labels, v => (long)v), Array.ConvertAll(predictions, v => (long)v), info.K, info.ClassNames);
        return new RunCheck(key, m.Accuracy, m.MacroF1, stored.Accuracy, stored.MacroF1, predictions.Length, different, retrain);
    }

    /// <summary>The test predictions of the stored best weights, in eval mode as the trainer tests them.</summary>
    static int[] Retest(PreparedFold prepared, ModelSpec spec, TrainingConfig config, string bestPath)
    {
        var info = prepared.Info;
        var dtype = config.Dtype == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        using var model = ModelCatalog.Create(spec, new InputShape(info.WindowT, info.C, info.K));
        model.to(dtype);
        Checkpoint.Load(model, bestPath, strict: true);
        using var backend = Native.OneDnn.For(model, dtype);
        using var lossFn = nn.CrossEntropyLoss();
        return Trainer.Evaluate(model, lossFn, prepared.Test, config.BatchSize, dtype).Predictions;
    }

    static List<(int Window, int Prediction)> ReadPredictions(string path)
    {
        var list = new List<(int, int)>();
        var lines = File.ReadAllLines(path);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = lines[i].Split(',');
            if (f.Length != 4 || !int.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var w)
                || !int.TryParse(f[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p))
                throw new TinierHarException($"{path}, line {i + 1}: expected window,subject,label,prediction");
            list.Add((w, p));
        }
        return list;
    }
}
