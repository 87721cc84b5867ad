using TinierHar.Data;
using TinierHar.Models;

namespace TinierHar.Export;

/// <summary>The export formats of <c>tinierhar export --format</c>.</summary>
public enum ExportFormat { C, Onnx }

/// <summary>
/// What to write: the format, and for C whether weights and activations are int8. An int8 export calibrates on the run's
/// training windows, read from <paramref name="Data"/> through <paramref name="Cache"/> (null: the defaults of
/// <c>tinierhar evaluate</c>, <see cref="DataFolder.Resolve"/> and <see cref="WindowCache.Resolve"/>).
/// </summary>
public sealed record ExportRequest(ExportFormat Format, bool Int8 = false, DataFolder? Data = null, WindowCache? Cache = null)
{
    /// <summary>Parses a <c>--format</c> value ("c" or "onnx"), else null.</summary>
    public static ExportFormat? ParseFormat(string value) => value switch
    {
        "c" => ExportFormat.C,
        "onnx" => ExportFormat.Onnx,
        _ => null,
    };
}

/// <summary>
/// <c>tinierhar export</c>: writes an <see cref="ExportSource"/> in the requested format into <c>DIR</c> atomically. The
/// files are written to a temporary sibling folder first, then moved; on any error nothing is left in <c>DIR</c>. The one
/// place that decides which exporter handles which (model, variant, format): a combination no exporter can express is
/// refused with one line naming it.
/// </summary>
public static class RunExport
{
    /// <summary>Exports a stored fold (<see cref="ExportSource.FromRun"/>); returns the paths written.</summary>
    public static IReadOnlyList<string> Export(string runDir, ExportRequest request, string outDir)
    {
        using var source = ExportSource.FromRun(runDir);
        return Export(source, request, outDir);
    }

    /// <summary>Exports <paramref name="source"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> Export(ExportSource source, ExportRequest request, string outDir)
    {
        IReadOnlyList<(string Name, byte[] Bytes)> files = request.Format switch
        {
            ExportFormat.C => Utf8(ToC(source, request).Files),
            ExportFormat.Onnx when !request.Int8 => ToOnnx(source).Files,
            _ => throw Unsupported(source, request),
        };
        return WriteAtomically(outDir, files);
    }

    /// <summary>The C export of <paramref name="source"/> (not written anywhere): its files and its flash and RAM bytes.</summary>
    public static CExport ToC(ExportSource source, ExportRequest? request = null)
    {
        request ??= new ExportRequest(ExportFormat.C);
        var spec = source.Spec;
        var int8 = request.Int8;
        if (int8 && (spec.Model != ModelCatalog.TinierHar || spec.Variant != ModelVariant.Full))
            throw new TinierHarException($"{Name(source)}: --int8 supports the C export of TinierHAR full only; this is {spec.Model} {spec.Variant}");
        return (spec.Model, spec.Variant) switch
        {
            (ModelCatalog.TinierHar, _) when !int8 => TinierHarCExporter.Export(source.Model, spec, source.Shape, source.Origin),
            (ModelCatalog.TinierHar, ModelVariant.Full) => TinierHarInt8(source, request),
            (ModelCatalog.TinyHar, ModelVariant.Full) => TinyHarCExporter.Export(source.Model, spec, source.Shape, source.Origin),
            (ModelCatalog.DeepConvLstm, ModelVariant.Full) => DeepConvLstmCExporter.Export(source.Model, spec, source.Shape, source.Origin),
            _ => throw Unsupported(source, request),
        };
    }

    static string Name(ExportSource source) => source.RunDir ?? source.Origin;

    static string Name(ExportFormat format) => format.ToString().ToLowerInvariant();

    static TinierHarException Unsupported(ExportSource source, ExportRequest request)
    {
        if (request.Int8 && request.Format != ExportFormat.C)
            return new TinierHarException($"{Name(source)}: --int8 supports the C export of TinierHAR full only; this is {source.Spec.Model} {source.Spec.Variant} as {Name(request.Format)}");
        return new TinierHarException($"{Name(source)}: the {Name(request.Format)} export{(request.Int8 ? " (int8)" : "")} does not support {source.Spec.Model} {source.Spec.Variant} yet");
    }

    /// <summary>The ONNX export of <paramref name="source"/> (not written anywhere).</summary>
    public static OnnxExport ToOnnx(ExportSource source)
    {
        var spec = source.Spec;
        return (spec.Model, spec.Variant) switch
        {
            (ModelCatalog.TinierHar, _) => TinierHarOnnx.Export(source.Model, spec, source.Shape, source.Origin),
            (ModelCatalog.TinyHar, ModelVariant.Full) => TinyHarOnnx.Export(source.Model, spec, source.Shape, source.Origin),
            (ModelCatalog.DeepConvLstm, ModelVariant.Full) => DeepConvLstmOnnx.Export(source.Model, spec, source.Shape, source.Origin),
            _ => throw Unsupported(source, new ExportRequest(ExportFormat.Onnx)),
        };
    }

    /// <summary>Text files (UTF-8, no byte order mark) written as <see cref="WriteAtomically(string, IReadOnlyList{ValueTuple{string, byte[]}})"/>.</summary>
    public static IReadOnlyList<string> WriteAtomically(string outDir, IReadOnlyList<(string Name, string Text)> files) =>
        WriteAtomically(outDir, Utf8(files));

    /// <summary>
    /// The int8 C export of a TinierHAR full run (<see cref="TinierHarInt8CExporter"/>), calibrated on its fold's training
    /// windows rebuilt as <c>tinierhar evaluate</c> does. A bare checkpoint is refused: it names no fold to calibrate on.
    /// </summary>
    static CExport TinierHarInt8(ExportSource source, ExportRequest request)
    {
        if (source.RunDir is null)
            throw new TinierHarException($"{source.Origin}: --int8 needs --run RUN_DIR, not --checkpoint: it calibrates on the run's training windows, which a bare checkpoint does not name");
        var weights = TinierHarWeights.From(source.Model, source.Spec, source.Shape);
        using var fold = source.PrepareFold(request.Data ?? DataFolder.Resolve(null), request.Cache ?? WindowCache.Resolve(null));
        var calibration = Int8Calibration.Measure(source.Model, weights.Blocks.Count, fold.Train);
        return TinierHarInt8CExporter.Export(weights, calibration, source.Origin);
    }

    /// <summary>Writes the files into a temporary folder beside <paramref name="outDir"/>, then moves them in.</summary>
    public static IReadOnlyList<string> WriteAtomically(string outDir, IReadOnlyList<(string Name, byte[] Bytes)> files)
    {
        outDir = Path.GetFullPath(outDir);
        var parent = Path.GetDirectoryName(outDir) ?? throw new TinierHarException($"{outDir}: cannot write into a root folder");
        if (File.Exists(outDir)) throw new TinierHarException($"{outDir} is a file, not a folder");
        var tmp = Path.Combine(parent, $".{Path.GetFileName(outDir)}.export-{Environment.ProcessId}.tmp");
        try
        {
            Directory.CreateDirectory(parent);
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            Directory.CreateDirectory(tmp);
            foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(tmp, name), bytes);
            if (!Directory.Exists(outDir)) Directory.Move(tmp, outDir);
            else foreach (var (name, _) in files) File.Move(Path.Combine(tmp, name), Path.Combine(outDir, name), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TinierHarException($"{outDir}: cannot write the export there ({e.Message})");
        }
        finally
        {
            try { if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // nothing was written there
        }
        return files.Select(f => Path.Combine(outDir, f.Name)).ToList();
    }

    static IReadOnlyList<(string Name, byte[] Bytes)> Utf8(IReadOnlyList<(string Name, string Text)> files) =>
        files.Select(f => (f.Name, System.Text.Encoding.UTF8.GetBytes(f.Text))).ToList();
}
