using System.Globalization;
using System.Text;
using TinierHar;
using TinierHar.Bench;
using TinierHar.Data;
using TinierHar.Export;
using TinierHar.Kernels;
using TinierHar.Models;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

// Batch-1 inference latency on this CPU, single thread, side by side in one run: TorchSharp eval (the library's engine),
// ONNX Runtime (the exported .onnx, 1 intra-op thread) and the exported C (gcc -O3 -march=native, with and without
// -ffast-math, timed inside the C program with clock_gettime), for TinierHAR, TinyHAR and DeepConvLSTM at MHEALTH's window (200 x 23) and USC-HAD's
// (400 x 6), K = 12. Seeded random weights (seed 1): latency does not depend on the weights' values.
// Each figure is the median over 7 blocks of the per-window mean; a block runs for about 0.3 s.
// Usage: dotnet run -c Release --project bench/latency -- [--out FILE.md] [--models a,b]
string outFile = Path.Combine("bench", "results", "latency.md");
string[] models = [.. ModelCatalog.Models];
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new TinierHarException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--out": outFile = Next(); break;
        case "--models": models = Next().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
        default: Console.Error.WriteLine($"bench/latency: unknown option {args[i]} (expected --out, --models)"); return 2;
    }
}
foreach (var m in models)
    if (!ModelCatalog.Models.Contains(m)) { Console.Error.WriteLine($"bench/latency: --models: unknown model '{m}' (expected {string.Join(", ", ModelCatalog.Models)})"); return 2; }

torch.set_num_threads(1);
var loadBefore = Machine.LoadAverage();
var work = Directory.CreateTempSubdirectory("tinierhar-latency-");
var rows = new List<string>();
try
{
    foreach (var dataset in new[] { "mhealth", "uschad" })
    {
        var info = DatasetRegistry.Get(dataset);
        var shape = new InputShape(info.WindowT, info.C, 12);
        foreach (var name in models)
        {
            torch.manual_seed(1);
            var spec = new ModelSpec(name).Resolve();
            using var model = ModelCatalog.Create(spec, shape);
            model.eval();
            double torchUs = Latency.TorchSharpMicroseconds(model, shape);
            using var source = ExportSource.Of(model, spec, shape, $"bench/latency seed 1 {dataset} shape");
            var cDir = Path.Combine(work.FullName, $"{name}-{dataset}");
            var export = RunExport.Export(source, new ExportRequest(ExportFormat.C), cDir);
            double cUs = HostBuild.LatencyMicroseconds(cDir, name);
            double nativeUs = HostBuild.LatencyMicroseconds(cDir, name, optimisation: HostBuild.Native);
            var onnxDir = Path.Combine(work.FullName, $"{name}-{dataset}-onnx");
            RunExport.Export(source, new ExportRequest(ExportFormat.Onnx), onnxDir);
            double ortUs = OrtMicroseconds(Path.Combine(onnxDir, name + ".onnx"), shape);
            Console.WriteLine($"{name,-13} {dataset,-8} TorchSharp {torchUs,9:F1} us   ONNX Runtime {ortUs,8:F1} us   C {cUs,9:F1} us   C fast-math {nativeUs,9:F1} us");
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {dataset} ({info.WindowT}×{info.C}) | {KernelSwitch.EngineFor(model, ScalarType.Float32)} | {torchUs:F1} | {ortUs:F1} | {cUs:F1} | {nativeUs:F1} | {torchUs / nativeUs:F1}× | {ortUs / nativeUs:F2}× | {(Math.Min(cUs, nativeUs) <= 50 ? "yes" : "no")} |"));
        }
    }
}
finally
{
    work.Delete(recursive: true);
}

var md = new StringBuilder();
md.AppendLine("# Batch-1 inference latency (bench/latency)");
md.AppendLine();
md.AppendLine($"Machine: {Machine.CpuModel()}, {Environment.ProcessorCount} cores; 1 thread; load average {loadBefore} before, {Machine.LoadAverage()} after; {Machine.Config()} build; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
md.AppendLine("Command: `dotnet run -c Release --project bench/latency`. Seeded random weights, K = 12; one window per call.");
md.AppendLine("TorchSharp: eval forward under no_grad on the library's engine. ONNX Runtime 1.32 (CPU, 1 intra-op and 1 inter-op thread, all graph optimisations): `tinierhar export --format onnx`. C: `tinierhar export --format c`, gcc -O3 -march=native (strict IEEE float), and with -ffast-math (float sums reassociated, so gcc vectorises the dot products; tests check its logits too), timed in C.");
md.AppendLine("Each figure: median over 7 blocks (about 0.3 s each) of the mean time per window, in microseconds.");
md.AppendLine();
md.AppendLine("| model | window | TorchSharp engine | TorchSharp µs | ONNX Runtime µs | C µs | C fast-math µs | TorchSharp / C fast-math | ONNX Runtime / C fast-math | C ≤ 50 µs |");
md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---|");
foreach (var r in rows) md.AppendLine(r);
Machine.WriteResults(outFile, md.ToString());
return 0;

// The median over 7 blocks (about 0.3 s each) of ONNX Runtime's mean time per window (µs), batch 1, one thread.
static double OrtMicroseconds(string onnxFile, InputShape shape)
{
    using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    using var session = new InferenceSession(onnxFile, options);
    using var run = new RunOptions();
    var data = new float[shape.Window * shape.Channels];
    var rng = new Random(1);
    for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
    using var input = OrtValue.CreateTensorValueFromMemory(data, [1, 1, shape.Window, shape.Channels]);
    string[] inputs = [session.InputMetadata.Keys.Single()], outputs = [session.OutputMetadata.Keys.Single()];
    void Once() { using var r = session.Run(run, inputs, [input], outputs); }
    for (int i = 0; i < 20; i++) Once();
    var sw = System.Diagnostics.Stopwatch.StartNew();
    int reps = 0;
    while (sw.Elapsed.TotalSeconds < 0.3) { Once(); reps++; }
    var blocks = new double[7];
    for (int b = 0; b < blocks.Length; b++)
    {
        Machine.Settle();
        sw.Restart();
        for (int i = 0; i < reps; i++) Once();
        blocks[b] = sw.Elapsed.TotalMicroseconds / reps;
    }
    Array.Sort(blocks);
    return blocks[blocks.Length / 2];
}
