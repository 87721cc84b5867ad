using System.Text.Json;
using TinierHar.Data;
using TinierHar.Interop;
using TinierHar.Models;
using TinierHar.Studies;
using TinierHar.Training;
using static TorchSharp.torch;

namespace TinierHar.Export;

/// <summary>
/// A trained model to export, in eval mode: the module with its weights, its spec, the window shape, and where it came
/// from. Built from a stored fold (<see cref="FromRun"/>: <c>config.json</c> and <c>best.pth</c>; no data is read) or
/// from a bare checkpoint such as the reference's <c>.pth</c> (<see cref="FromCheckpoint"/>). <see cref="RunDir"/> and
/// <see cref="Dataset"/>, <see cref="Fold"/> and <see cref="Seed"/> are set for runs, so that an exporter that needs data
/// (int8 calibration) can rebuild the fold (<see cref="PrepareFold"/>).
/// </summary>
public sealed class ExportSource : IDisposable
{
    public nn.Module<Tensor, Tensor> Model { get; }
    public ModelSpec Spec { get; }
    public InputShape Shape { get; }
    /// <summary>The dataset key (runs, or checkpoints exported with a dataset), else null.</summary>
    public string? Dataset { get; }
    /// <summary>The run folder, or null for a bare checkpoint.</summary>
    public string? RunDir { get; }
    /// <summary>The run's fold and training seed (which windows it trained and tested on), or null for a bare checkpoint.</summary>
    public int? Fold { get; }
    public int? Seed { get; }
    /// <summary>One line for the generated files' comments: what was exported.</summary>
    public string Origin { get; }

    readonly bool _ownsModel;

    ExportSource(nn.Module<Tensor, Tensor> model, ModelSpec spec, InputShape shape, string? dataset, string? runDir,
        int? fold, int? seed, string origin, bool ownsModel = true)
    {
        Model = model; Spec = spec; Shape = shape; Dataset = dataset; RunDir = runDir; Fold = fold; Seed = seed; Origin = origin;
        _ownsModel = ownsModel;
        Model.eval();
    }

    /// <summary>
    /// A model in memory (e.g. freshly trained in a notebook, or seeded random weights for a footprint or latency
    /// measurement). The caller keeps ownership: disposing the source does not dispose the model. Sets eval mode.
    /// </summary>
    public static ExportSource Of(nn.Module<Tensor, Tensor> model, ModelSpec spec, InputShape shape, string origin) =>
        new(model, spec.Resolve(), shape, null, null, null, null, origin, ownsModel: false);

    /// <summary>A stored fold: its <c>config.json</c> (model spec, dataset) and <c>best.pth</c> (strict load).</summary>
    public static ExportSource FromRun(string runDir)
    {
        runDir = Path.GetFullPath(runDir);
        var configPath = Path.Combine(runDir, RunStore.ConfigFile);
        var bestPath = Path.Combine(runDir, Trainer.BestFile);
        foreach (var required in new[] { configPath, bestPath })
            if (!File.Exists(required)) throw new TinierHarException($"{required} not found: '{runDir}' is not the folder of a trained run");
        string dataset; ModelSpec spec; int fold, seed;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(configPath));
            var root = doc.RootElement;
            dataset = root.GetProperty("dataset").GetString()!;
            fold = root.GetProperty("fold").GetInt32();
            seed = TrainingConfig.FromJson(root.GetProperty("training").GetRawText()).Seed;
            spec = (root.GetProperty("model").Deserialize<ModelSpec>() ?? throw new TinierHarException("no model")).Resolve();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or TinierHarException)
        {
            throw new TinierHarException($"{configPath}: not a run configuration ({e.Message})");
        }
        var info = DatasetRegistry.Get(dataset);
        var shape = new InputShape(info.WindowT, info.C, info.K);
        var model = ModelCatalog.Create(spec, shape);
        try { Checkpoint.Load(model, bestPath, strict: true); }
        catch { model.Dispose(); throw; }
        return new ExportSource(model, spec, shape, dataset, runDir, fold, seed,
            $"{dataset} {spec.Model}-{spec.RunVariant} {Path.GetFileName(runDir)} best.pth");
    }

    /// <summary>
    /// A bare checkpoint (e.g. the reference's <c>fold4_best.pth</c>) of <paramref name="spec"/> for windows of
    /// <paramref name="dataset"/>'s shape (T, C and K from the registry; strict load, so a checkpoint of another shape
    /// is refused naming the tensor).
    /// </summary>
    public static ExportSource FromCheckpoint(string checkpoint, ModelSpec spec, string dataset)
    {
        checkpoint = Path.GetFullPath(checkpoint);
        if (!File.Exists(checkpoint)) throw new TinierHarException($"{checkpoint} not found");
        var info = DatasetRegistry.Get(dataset);
        var shape = new InputShape(info.WindowT, info.C, info.K);
        var model = ModelCatalog.Create(spec, shape);
        try { Checkpoint.Load(model, checkpoint, strict: true); }
        catch { model.Dispose(); throw; }
        return new ExportSource(model, spec, shape, dataset, null, null, null, $"{dataset} {spec.Model}-{spec.RunVariant} {Path.GetFileName(checkpoint)}");
    }

    /// <summary>
    /// The run's fold rebuilt as <c>tinierhar evaluate</c> does (<see cref="RunEvaluation"/>): the same split and the same
    /// per-fold normalisation, from the dataset in <paramref name="data"/>. Runs only: a bare checkpoint names no fold.
    /// </summary>
    public PreparedFold PrepareFold(DataFolder data, WindowCache? cache)
    {
        if (RunDir is null || Dataset is null || Fold is null || Seed is null)
            throw new TinierHarException($"{Origin}: a bare checkpoint names no fold, so its training windows cannot be rebuilt; export the run (--run RUN_DIR)");
        return LoadedDataset.Load(DatasetRegistry.Get(Dataset), data, cache).Prepare(Fold.Value, Seed.Value);
    }

    public void Dispose()
    {
        if (_ownsModel) Model.Dispose();
    }
}
