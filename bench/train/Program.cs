using TinierHar.Bench;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using TinierHar;
using TinierHar.Data;
using TinierHar.Interop;
using TinierHar.Models;
using TorchSharp;
using static TorchSharp.torch;

// Training speed of TinierHAR, TinyHAR and DeepConvLSTM: TorchSharp (this program) vs PyTorch (pytorch_bench.py,
// run by this program as a child process after the TorchSharp part) on the same real windows, same batches, threads.
// Usage: dotnet run -c Release --project bench/train -- [--data DIR] [--out FILE.md] [--windows N]
//        [--plan 32x1:30:3,32x2:30:3,256x2:3:1] [--models tinierhar,tinyhar,deepconvlstm] [--python /usr/bin/python3]
//        [--no-pytorch]
// Plan entry BATCHxTHREADS:STEPS:WARMUP. Data: USC-HAD fold 0 (seed 1) training windows, normalised as for
// training; the first N are exported to .npy (windows (N,1,T,C) float32, labels (N) int64, batch order (N) int64, a
// seeded shuffle) and both sides read batches from them in the same order. Each (model, plan entry): seed 1, build,
// AdamW(lr 1e-3, weight decay 0.01), cross-entropy, WARMUP untimed steps then STEPS timed steps. A step = copy the
// batch out of the in-memory array into a tensor (the "data" share) + zero_grad, forward, loss, backward, AdamW step,
// loss.item(); TorchSharp disposes each step's tensors with a dispose scope (inside the timed step). For each entry the
// PyTorch run (a child process) follows the TorchSharp run immediately, so slow drifts in machine load hit both sides;
// at batch 32 with the most threads PyTorch also runs with oneDNN off, and with the library's glibc heap settings.
string? dataOption = null, outFile = null, python = "/usr/bin/python3";
int windows = 2048;
var plan = ParsePlan("32x1:30:3,32x2:30:3,256x2:3:1");
string[] models = [.. ModelCatalog.Models];
bool runPyTorch = true;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new TinierHarException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--data": dataOption = Next(); break;
            case "--out": outFile = Next(); break;
            case "--python": python = Next(); break;
            case "--windows": windows = Int(Next(), "--windows"); break;
            case "--plan": plan = ParsePlan(Next()); break;
            case "--models": models = Next().Split(',').Select(s => s.Trim().ToLowerInvariant()).ToArray(); break;
            case "--no-pytorch": runPyTorch = false; break;
            default: throw new TinierHarException($"unexpected argument '{args[i]}' (see the usage at the top of bench/train/Program.cs)");
        }
    }
    catch (TinierHarException e) { Console.Error.WriteLine($"bench/train: {e.Message}"); return 2; }
}

var tmp = Directory.CreateTempSubdirectory("tinierhar-bench-train-").FullName;
try
{
    var data = DataFolder.Resolve(dataOption);
    var repo = DataFolder.RepositoryRoot();
    outFile ??= Path.Combine(repo, "bench", "results", "train.md");
    foreach (var m in models) ModelCatalog.Resolve(new ModelSpec(m));
    var info = DatasetRegistry.Get("uschad");

    // ---- data: USC-HAD fold 0 training windows -> .npy
    var clock = Stopwatch.StartNew();
    var loaded = LoadedDataset.Load(info, data, new WindowCache(Path.Combine(tmp, "cache")));
    using var fold = loaded.Prepare(fold: 0, seed: 1);
    var train = fold.Train;
    int T = train.T, C = train.C, K = info.K, n = Math.Min(windows, train.Count);
    int maxBatch = plan.Max(e => e.Batch);
    if (n < maxBatch) throw new TinierHarException($"only {n} windows, fewer than the largest batch {maxBatch}");
    var x = train.X.AsSpan(0, n * T * C).ToArray();
    var y = train.Y.Take(n).Select(v => (long)v).ToArray();
    var perm = Enumerable.Range(0, n).Select(v => (long)v).ToArray();
    new Random(1).Shuffle(perm);
    var npyDir = Path.Combine(tmp, "npy");
    Directory.CreateDirectory(npyDir);
    Npy.Write(Path.Combine(npyDir, "x.npy"), x, [n, 1, T, C]);
    Npy.Write(Path.Combine(npyDir, "y.npy"), y, [n]);
    Npy.Write(Path.Combine(npyDir, "order.npy"), perm, [n]);
    Console.WriteLine($"USC-HAD fold 0: {train.Count:N0} training windows (T={T}, C={C}, K={K}); exported the first {n} in {clock.Elapsed.TotalSeconds:F1} s");
    var loadBefore = LoadAverage();
    var started = DateTime.UtcNow;

    // ---- per (model, plan entry): TorchSharp, then PyTorch in a child process (and PyTorch with oneDNN off once)
    var inv = CultureInfo.InvariantCulture;
    var scriptPath = Path.Combine(repo, "bench", "train", "pytorch_bench.py");
    int refBatch = plan.Any(e => e.Batch == 32) ? 32 : plan[0].Batch;
    int refThreads = plan.Where(e => e.Batch == refBatch).Max(e => e.Threads);
    string pyVersion = "not run";
    var rows = new List<(PlanEntry E, Result Ts, Result? Pt, Result? PtOff, Result? PtHeap)>();
    foreach (var model in models)
        foreach (var e in plan)
        {
            var ts = RunTorchSharp(model, e.Threads, e.Batch, e.Warmup, e.Steps, x, y, perm, T, C, K) with { Load = LoadAverage() };
            Console.WriteLine(ts.Describe("TorchSharp         "));
            Result? pt = null, ptOff = null, ptHeap = null;
            if (runPyTorch)
            {
                (pt, pyVersion) = RunPyTorch(python, scriptPath, npyDir, K, model, e, mkldnn: true);
                Console.WriteLine(pt.Describe("PyTorch            "));
                if (e.Batch == refBatch && e.Threads == refThreads)
                {
                    (ptOff, _) = RunPyTorch(python, scriptPath, npyDir, K, model, e, mkldnn: false);
                    Console.WriteLine(ptOff.Describe("PyTorch oneDNN off "));
                    (ptHeap, _) = RunPyTorch(python, scriptPath, npyDir, K, model, e, mkldnn: true, tunedHeap: true);
                    Console.WriteLine(ptHeap.Describe("PyTorch same heap  "));
                }
            }
            rows.Add((e, ts, pt, ptOff, ptHeap));
        }
    var loadAfter = LoadAverage();
    double minutes = (DateTime.UtcNow - started).TotalMinutes;

    // ---- report
    string Fmt(double? v, string f) => v is null || double.IsNaN(v.Value) ? "–" : v.Value.ToString(f, inv);
    var table = new StringBuilder();
    foreach (var (e, ts, pt, ptOff, ptHeap) in rows)
    {
        double epochSteps = Math.Ceiling(train.Count / (double)e.Batch);
        double tsE = ts.StepSeconds * epochSteps;
        double? ptE = pt?.StepSeconds * epochSteps, offE = ptOff?.StepSeconds * epochSteps, heapE = ptHeap?.StepSeconds * epochSteps;
        table.AppendLine(string.Create(inv,
            $"| {ts.Model} | {e.Threads} | {e.Batch} | {e.Steps} | {ts.Load} | {ts.StepSeconds * 1000:F0} | {Fmt(pt?.StepSeconds * 1000, "F0")} | {tsE:F0} | {Fmt(ptE, "F0")} | **{Fmt(tsE / ptE, "F2")}** | {Fmt(offE, "F0")} | {Fmt(heapE, "F0")} | {ts.DataShare * 100:F2} | {Fmt(pt?.DataShare * 100, "F2")} | {ts.LossSummary} | {pt?.LossSummary ?? "–"} |"));
    }
    var extrapolation = new StringBuilder();
    foreach (var (e, ts, pt, _, _) in rows.Where(r => r.E.Batch == refBatch))
    {
        double epochSteps = Math.Ceiling(train.Count / (double)e.Batch);
        extrapolation.AppendLine(string.Create(inv, $"| {ts.Model} | {e.Threads} | {ts.StepSeconds * epochSteps * 80 / 3600:F1} | {Fmt(pt?.StepSeconds * epochSteps * 80 / 3600, "F1")} |"));
    }
    double maxData = rows.Max(r => Math.Max(r.Ts.DataShare, r.Pt?.DataShare ?? 0));
    bool allFinite = rows.All(r => r.Ts.Finite && (r.Pt?.Finite ?? true) && (r.PtOff?.Finite ?? true) && (r.PtHeap?.Finite ?? true));
    var machine = $"{Environment.ProcessorCount} cores ({Machine.CpuModel()}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
                  $"TorchSharp-cpu 0.107.0 (libtorch 2.10, oneDNN {(TinierHar.Native.TorchSetup.MkldnnDisabled ? "for DeepConvLSTM only" : "enabled")}, glibc heap settings {(TinierHar.Native.NativeHeap.Tuned ? "on" : "off")}), " +
                  $"PyTorch {pyVersion} (Debian python3-torch 1.13.1, `{python}`, oneDNN enabled, BLAS: {PyInfo.Blas}), build {Machine.Config()}";
    var text = $"""
        # Training speed: TorchSharp vs PyTorch

        Measured {started:yyyy-MM-dd HH:mm} UTC ({minutes:F1} min) on {machine}.
        Load average (1 min) before / after: {loadBefore} / {loadAfter} — the machine is shared; other processes running at the
        same time inflate both sides (each PyTorch run follows its TorchSharp run immediately to limit drift).
        Command: `bench/train/run.sh`.
        {LoadWarning([loadBefore, loadAfter, .. rows.Select(r => r.Ts.Load)])}

        **What was timed.** USC-HAD fold 0 (seed 1) training windows, normalised (T={T}, C={C}, K={K}); the first {n} windows
        were exported to .npy and both sides read batches in the same shuffled order. Per row: seed 1, build the model,
        AdamW (lr 1e-3, weight decay 0.01), cross-entropy, a few untimed warm-up steps, then the timed steps. A step =
        batch tensor from the in-memory array ("data") + zero_grad + forward + loss + backward + AdamW step + `loss.item()`;
        TorchSharp uses one dispose scope per step. Threads set with `torch.set_num_threads` on both sides.
        ms/step is the **median** timed step (robust to bursts of load from other processes); "load" is the 1-minute load
        average when the row's TorchSharp run ended. **s/epoch** = median timed step × ⌈{train.Count:N0} / batch⌉ steps: one epoch over the full fold-0 training set
        ({train.Count:N0} windows) extrapolated from the timed steps (training only, no validation/test passes).
        Ratio = TorchSharp / PyTorch s/epoch (> 1: TorchSharp slower). Loss: first warm-up step → mean of the last 5 steps
        (same seed, but the two libraries' RNG streams and initialisations differ, so losses agree only roughly).
        All losses finite: {(allFinite ? "yes" : "**NO**")}. Data loading below 5 % of the step in every row: {(maxData < 0.05 ? "yes" : "**NO**")} (max {maxData * 100:F2} %).

        **oneDNN.** TorchSharp runs with oneDNN (mkldnn) and NNPACK disabled (`lib/Native/TorchSetup.cs`, the libtorch 2.10
        oneDNN convolution bug in DEVELOPERS.md) except while a model whose convolutions are all outside the bug's reach is
        trained (`lib/Native/OneDnn.cs`: input channels 1 or a multiple of 16, groups 1, float32 — DeepConvLSTM); TinierHAR
        and TinyHAR use ATen's native kernels. PyTorch 1.13.1 keeps oneDNN on (the PyTorch columns). BLAS also differs: the
        official libtorch 2.10 under TorchSharp links MKL; Debian's python3-torch is built with `BLAS_INFO=generic` and uses
        the system `libblas.so.3` — the unoptimised reference BLAS unless OpenBLAS is installed, so run.sh installs
        `libopenblas0-openmp` (OpenMP build, so `torch.set_num_threads` also bounds its threads). The "PyTorch oneDNN off"
        column reruns PyTorch with `torch.backends.mkldnn.enabled = False` (batch {refBatch}, {refThreads} threads only) to
        separate the oneDNN effect from the libtorch-version / binding effect.

        **Heap.** The library sets glibc's malloc so that large tensors reuse freed heap memory instead of a fresh
        mmap (page faults and zero-fill) at every step (`lib/Native/NativeHeap.cs`); PyTorch runs with glibc's defaults,
        as its users do. The "PyTorch same heap" column reruns PyTorch with the same settings as environment variables
        (`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`, `MALLOC_ARENA_MAX`; batch {refBatch}, {refThreads} threads only).

        | model | threads | batch | timed steps | load | TorchSharp ms/step | PyTorch ms/step | TorchSharp s/epoch | PyTorch s/epoch | ratio TS/PT | PyTorch oneDNN off s/epoch | PyTorch same heap s/epoch | data % TS | data % PT | loss TS | loss PT |
        |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|
        {table.ToString().TrimEnd()}

        ## One full fold, extrapolated (not run)

        Training one USC-HAD fold with the reference preset (80 epochs, batch {refBatch}) is too long to
        run in this benchmark. The hours below are **extrapolated**: measured s/epoch × 80, training steps only (no
        validation, early stopping or test passes), under this run's machine load. Measured full folds:
        `bench/fullfold/run.sh` → `bench/results/fullfold.md`.

        | model | threads | TorchSharp h | PyTorch h |
        |---|---:|---:|---:|
        {extrapolation.ToString().TrimEnd()}

        """;
    Machine.WriteResults(outFile, text);
    return 0;
}
catch (TinierHarException e)
{
    Console.Error.WriteLine($"bench/train: {e.Message}");
    return 2;
}
finally
{
    try { Directory.Delete(tmp, recursive: true); } catch (IOException) { }
}

static Result RunTorchSharp(string model, int threads, int batch, int warmup, int steps, float[] x, long[] y, long[] order, int T, int C, int K)
{
    torch.set_num_threads(threads);
    torch.manual_seed(1);
    using var net = ModelCatalog.Create(new ModelSpec(model), new InputShape(T, C, K));
    using var backend = TinierHar.Native.OneDnn.For(net); // as the Trainer: oneDNN for DeepConvLSTM only
    net.train();
    using var opt = torch.optim.AdamW(net.parameters(), lr: 1e-3, weight_decay: 0.01);
    using var lossFn = nn.CrossEntropyLoss();
    int n = y.Length, w = T * C;
    var losses = new List<double>();
    var stepTimes = new List<double>();
    long cursor = 0, dataTicks = 0, totalTicks = 0;
    var xb = new float[batch * w]; // batch buffers reused across steps (torch.tensor copies them)
    var yb = new long[batch];
    GC.Collect();
    GC.WaitForPendingFinalizers();
    for (int s = 0; s < warmup + steps; s++)
    {
        long t0 = Stopwatch.GetTimestamp(), t1;
        double lossValue;
        using (var scope = torch.NewDisposeScope())
        {
            for (int i = 0; i < batch; i++)
            {
                int idx = (int)order[(cursor + i) % n];
                Array.Copy(x, (long)idx * w, xb, (long)i * w, w);
                yb[i] = y[idx];
            }
            cursor += batch;
            var xt = torch.tensor(xb, [batch, 1, T, C]);
            var yt = torch.tensor(yb, [batch]);
            t1 = Stopwatch.GetTimestamp();
            opt.zero_grad();
            var loss = lossFn.call(net.call(xt), yt);
            loss.backward();
            opt.step();
            lossValue = loss.item<float>();
        }
        long t2 = Stopwatch.GetTimestamp();
        if (s >= warmup) { dataTicks += t1 - t0; totalTicks += t2 - t0; stepTimes.Add((t2 - t0) / (double)Stopwatch.Frequency); }
        losses.Add(lossValue);
    }
    return new Result(model, threads, batch, steps, totalTicks / (double)Stopwatch.Frequency, dataTicks / (double)Stopwatch.Frequency, [.. losses], [.. stepTimes]);
}

static (Result, string) RunPyTorch(string python, string script, string npyDir, int classes, string model, PlanEntry e, bool mkldnn, bool tunedHeap = false)
{
    var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
    if (tunedHeap) // the glibc settings lib/Native/NativeHeap.cs applies in-process, as environment variables
    {
        psi.Environment["MALLOC_MMAP_THRESHOLD_"] = TinierHar.Native.NativeHeap.MmapThreshold.ToString(CultureInfo.InvariantCulture);
        psi.Environment["MALLOC_TRIM_THRESHOLD_"] = int.MaxValue.ToString(CultureInfo.InvariantCulture);
        psi.Environment["MALLOC_ARENA_MAX"] = "1";
    }
    foreach (var a in new[] { script, "--dir", npyDir, "--classes", I(classes), "--model", model, "--threads", I(e.Threads),
                 "--batch", I(e.Batch), "--steps", I(e.Steps), "--warmup", I(e.Warmup), "--mkldnn", mkldnn ? "1" : "0" })
        psi.ArgumentList.Add(a);
    using var proc = Process.Start(psi) ?? throw new TinierHarException($"could not start {python}");
    var stdout = proc.StandardOutput.ReadToEnd();
    proc.WaitForExit();
    if (proc.ExitCode != 0) throw new TinierHarException($"pytorch_bench.py failed with exit code {proc.ExitCode} ({model}, {e})");
    using var doc = JsonDocument.Parse(stdout);
    var r = doc.RootElement;
    if (r.TryGetProperty("blas", out var blas)) PyInfo.Blas = string.Join(", ", blas.EnumerateArray().Select(v => Path.GetFileName(Path.GetDirectoryName(v.GetString()!)) + "/" + Path.GetFileName(v.GetString()!)));
    return (new Result(model, e.Threads, e.Batch, e.Steps, r.GetProperty("total_s").GetDouble(), r.GetProperty("data_s").GetDouble(),
        r.GetProperty("losses").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
        r.GetProperty("step_s").EnumerateArray().Select(v => v.GetDouble()).ToArray()), r.GetProperty("torch").GetString() ?? "?");
    static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}

static List<PlanEntry> ParsePlan(string text)
{
    var list = new List<PlanEntry>();
    foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        var parts = item.Split(':');
        var bt = parts[0].Split('x');
        if (parts.Length != 3 || bt.Length != 2)
            throw new TinierHarException($"plan entry '{item}' is not BATCHxTHREADS:STEPS:WARMUP");
        var entry = new PlanEntry(Int(bt[0], "batch"), Int(bt[1], "threads"), Int(parts[1], "steps"), Int(parts[2], "warm-up"));
        if (entry.Batch < 1 || entry.Threads < 1 || entry.Steps < 1) throw new TinierHarException($"plan entry '{item}': batch, threads and steps must be >= 1");
        list.Add(entry);
    }
    return list.Count > 0 ? list : throw new TinierHarException("empty plan");
}

static int Int(string s, string what) =>
    int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : throw new TinierHarException($"{what} must be a non-negative integer, got '{s}'");

static string LoadWarning(IEnumerable<string> loads)
{
    static double Parse(string v) => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
    double worst = loads.Max(Parse);
    // This benchmark itself accounts for up to ~2 runnable threads; more means other processes competed for the CPU.
    return worst > Environment.ProcessorCount + 0.5
        ? $"**Warning:** the load average reached {worst.ToString("F1", CultureInfo.InvariantCulture)} on {Environment.ProcessorCount} cores, i.e. other processes competed for the CPU: the timings are inflated and noisy, most of all the multi-threaded rows (OpenMP threads wait on each other when one is descheduled); compare 1-thread rows, and read ratios as rough."
        : $"The load average stayed at most {worst.ToString("F1", CultureInfo.InvariantCulture)} on {Environment.ProcessorCount} cores.";
}

static string LoadAverage()
{
    try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
    catch (IOException) { return "?"; }
}


/// <summary>The BLAS libraries the PyTorch child process had mapped (reported in the results).</summary>
static class PyInfo
{
    public static string Blas = "?";
}

/// <summary>One line of the plan: batch size, threads, timed steps, untimed warm-up steps.</summary>
sealed record PlanEntry(int Batch, int Threads, int Steps, int Warmup)
{
    public override string ToString() => $"batch {Batch}, {Threads} threads, {Steps}+{Warmup} steps";
}

/// <summary>One timed configuration: total and data seconds over the timed steps, and every step's loss (warm-up included).</summary>
sealed record Result(string Model, int Threads, int Batch, int Steps, double TotalSeconds, double DataSeconds, double[] Losses, double[] StepTimes)
{
    /// <summary>Median timed step (robust to bursts of load from other processes on a shared machine).</summary>
    public double StepSeconds => Median(StepTimes);
    public double MeanStepSeconds => TotalSeconds / Steps;
    public string Load { get; init; } = "?";
    static double Median(double[] v)
    {
        var o = v.Order().ToArray();
        return o.Length % 2 == 1 ? o[o.Length / 2] : (o[o.Length / 2 - 1] + o[o.Length / 2]) / 2;
    }
    public double DataShare => DataSeconds / TotalSeconds;
    public double LastLoss => Losses.TakeLast(Math.Min(5, Losses.Length)).Average();
    public bool Finite => Losses.All(double.IsFinite);
    public string LossSummary => string.Create(CultureInfo.InvariantCulture, $"{Losses[0]:F3} → {LastLoss:F3}{(Finite ? "" : " (NaN!)")}");
    public string Describe(string side) => string.Create(CultureInfo.InvariantCulture,
        $"{side} {Model,-12} threads {Threads} batch {Batch,3}: {Steps} steps, median {StepSeconds * 1000:F1} ms/step (mean {MeanStepSeconds * 1000:F1}), data {DataShare * 100:F2} %, loss {LossSummary}");
}
