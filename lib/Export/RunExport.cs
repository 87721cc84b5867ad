using System.Text.Json;
using TinierHar.Data;
using TinierHar.Interop;
using TinierHar.Models;
using TinierHar.Studies;
using TinierHar.Training;

namespace TinierHar.Export;

/// <summary>
/// <c>tinierhar export --run RUN_DIR --format c --out DIR</c>: rebuilds a stored fold's model from its <c>config.json</c>
/// (model spec, dataset shape from the registry; no data is read), loads its <c>best.pth</c> (strict) and writes the
/// C pair (<see cref="TinierHarCExporter"/>) into <c>DIR</c> atomically: both files are written to a temporary sibling
/// folder first, then moved; on any error nothing is left in <c>DIR</c>.
/// </summary>
public static class RunExport
{
    /// <summary>Exports the run; returns the paths written.</summary>
    public static IReadOnlyList<string> ExportC(string runDir, string outDir)
    {
        runDir = Path.GetFullPath(runDir);
        var configPath = Path.Combine(runDir, RunStore.ConfigFile);
        var bestPath = Path.Combine(runDir, Trainer.BestFile);
        foreach (var required in new[] { configPath, bestPath })
            if (!File.Exists(required)) throw new TinierHarException($"{required} not found: '{runDir}' is not the folder of a trained run");
        string dataset; ModelSpec spec;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(configPath));
            var root = doc.RootElement;
            dataset = root.GetProperty("dataset").GetString()!;
            spec = (root.GetProperty("model").Deserialize<ModelSpec>() ?? throw new TinierHarException("no model")).Resolve();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or TinierHarException)
        {
            throw new TinierHarException($"{configPath}: not a run configuration ({e.Message})");
        }
        if (spec.Model != ModelCatalog.TinierHar || spec.Variant != ModelVariant.Full)
            throw new TinierHarException($"{runDir}: the C export supports TinierHAR full only for now; this run is {spec.Model} {spec.Variant}");
        var info = DatasetRegistry.Get(dataset);
        var shape = new InputShape(info.WindowT, info.C, info.K);
        CExport export;
        using (var model = ModelCatalog.Create(spec, shape))
        {
            Checkpoint.Load(model, bestPath, strict: true);
            model.eval();
            export = TinierHarCExporter.Export(model, spec, shape, $"{dataset} {spec.Model}-{spec.RunVariant} {Path.GetFileName(runDir)} best.pth");
        }
        return WriteAtomically(outDir, [(export.HeaderName, export.Header), (export.SourceName, export.Source)]);
    }

    /// <summary>Writes the files into a temporary folder beside <paramref name="outDir"/>, then moves them in.</summary>
    public static IReadOnlyList<string> WriteAtomically(string outDir, IReadOnlyList<(string Name, string Text)> files)
    {
        outDir = Path.GetFullPath(outDir);
        var parent = Path.GetDirectoryName(outDir) ?? throw new TinierHarException($"{outDir}: cannot write into a root folder");
        if (File.Exists(outDir)) throw new TinierHarException($"{outDir} is a file, not a folder");
        Directory.CreateDirectory(parent);
        var tmp = Path.Combine(parent, $".{Path.GetFileName(outDir)}.export-{Environment.ProcessId}.tmp");
        try
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            Directory.CreateDirectory(tmp);
            foreach (var (name, text) in files) File.WriteAllText(Path.Combine(tmp, name), text);
            if (!Directory.Exists(outDir)) Directory.Move(tmp, outDir);
            else foreach (var (name, _) in files) File.Move(Path.Combine(tmp, name), Path.Combine(outDir, name), overwrite: true);
        }
        finally
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        }
        return files.Select(f => Path.Combine(outDir, f.Name)).ToList();
    }
}
