using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using TinierHar;
using TinierHar.Bench;
using TinierHar.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

// Where a training step's time goes: per-module forward and backward times of TinierHAR, TinyHAR and DeepConvLSTM.
// Usage: dotnet run -c Release --project bench/profile -- [--out FILE.md] [--batches 32,256] [--models a,b] [--reps N]
// Synthetic input (B,1,400,6) from randn, K=12 (the USC-HAD shape), seed 1, 1 torch thread, training mode.
// Whole step: forward + cross-entropy, backward, AdamW step, each the median of REPS steps after one warm-up step.
// Per module ("unit": each child of the model, children of Sequential/ModuleList children one level down): its input
// is captured during one forward pass, then the module alone is run on a detached copy (requiring grad when the
// original did) and backpropagated from a fixed random output gradient, median of REPS runs. The units do not cover
// the glue between them (reshape, softmax, attention weighting, loss); "rest" is the step minus the units.
// Each model runs on the engine the library picks for it (KernelSwitch.EngineFor: TinierHAR's fused conv blocks unless
// TINIERHAR_KERNELS=off). Then "fast path vs plain": TinierHAR's whole train step on both paths in the same process,
// alternating step by step, median of 3·REPS steps each.
string? outFile = null;
int[] batches = [32, 256];
string[] models = [.. ModelCatalog.Models];
int reps = 5;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new TinierHarException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--out": outFile = Next(); break;
            case "--batches": batches = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
            case "--models": models = Next().Split(',').Select(s => s.Trim().ToLowerInvariant()).ToArray(); break;
            case "--reps": reps = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            default: throw new TinierHarException($"unexpected argument '{args[i]}' (see the usage at the top of bench/profile/Program.cs)");
        }
    }
    catch (Exception e) when (e is TinierHarException or FormatException)
    {
        Console.Error.WriteLine($"bench/profile: {e.Message}");
        return 2;
    }
}

const int T = 400, C = 6, K = 12;
outFile ??= Path.Combine(TinierHar.Data.DataFolder.RepositoryRoot(), "bench", "results", "profile.md");
torch.set_num_threads(1);
var inv = CultureInfo.InvariantCulture;
var started = DateTime.UtcNow;
var loadBefore = Machine.LoadAverage();
var report = new StringBuilder();
foreach (var model in models)
    foreach (var batch in batches)
    {
        var p = Profile.Run(model, batch, reps, T, C, K);
        Console.WriteLine($"{model} batch {batch}: step {p.StepMs:F1} ms (forward {p.ForwardMs:F1}, backward {p.BackwardMs:F1}, AdamW {p.OptimizerMs:F1}), load {p.Load}");
        report.AppendLine(string.Create(inv, $"### {model}, batch {batch}, {p.Engine} path: {p.StepMs:F1} ms per step, {p.StepMs * 1000 / batch:F0} µs per window (load {p.Load})"));
        report.AppendLine();
        report.AppendLine("| part | type | forward ms | backward ms | forward + backward µs/window | share of step |");
        report.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var u in p.Units)
            report.AppendLine(string.Create(inv, $"| {u.Name} | {u.Type} | {u.ForwardMs:F2} | {u.BackwardMs:F2} | {(u.ForwardMs + u.BackwardMs) * 1000 / batch:F1} | {(u.ForwardMs + u.BackwardMs) / p.StepMs * 100:F1} % |"));
        double unitsF = p.Units.Sum(u => u.ForwardMs), unitsB = p.Units.Sum(u => u.BackwardMs);
        report.AppendLine(string.Create(inv, $"| rest (glue, loss) | | {p.ForwardMs - unitsF:F2} | {p.BackwardMs - unitsB:F2} | {(p.ForwardMs + p.BackwardMs - unitsF - unitsB) * 1000 / batch:F1} | {(p.ForwardMs + p.BackwardMs - unitsF - unitsB) / p.StepMs * 100:F1} % |"));
        report.AppendLine(string.Create(inv, $"| AdamW step | | {p.OptimizerMs:F2} | | {p.OptimizerMs * 1000 / batch:F1} | {p.OptimizerMs / p.StepMs * 100:F1} % |"));
        report.AppendLine(string.Create(inv, $"| **whole step** | | {p.ForwardMs:F2} | {p.BackwardMs:F2} | {p.StepMs * 1000 / batch:F1} | 100 % |"));
        report.AppendLine();
    }
var compare = new StringBuilder();
if (models.Contains(ModelCatalog.TinierHar) && TinierHar.Kernels.KernelSwitch.Enabled)
    foreach (var batch in batches)
    {
        var (plainMs, fastMs, load) = Profile.Compare(batch, 3 * reps, T, C, K);
        Console.WriteLine($"tinierhar batch {batch}: plain {plainMs:F1} ms, fast {fastMs:F1} ms per step, ratio {plainMs / fastMs:F2}, load {load}");
        compare.AppendLine(string.Create(inv, $"| {batch} | {plainMs:F1} | {fastMs:F1} | {plainMs * 1000 / batch:F0} | {fastMs * 1000 / batch:F0} | **{plainMs / fastMs:F2}** | {load} |"));
    }
var compareText = compare.Length == 0 ? "Not measured (TINIERHAR_KERNELS=off or TinierHAR not profiled)." : $"""
    | batch | plain ms/step | fast ms/step | plain µs/window | fast µs/window | speed-up plain/fast | load |
    |---:|---:|---:|---:|---:|---:|---:|
    {compare.ToString().TrimEnd()}
    """;
var loadAfter = Machine.LoadAverage();
var machine = $"{Environment.ProcessorCount} cores ({Machine.CpuModel()}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
              $"TorchSharp-cpu 0.107.0 (libtorch 2.10, oneDNN for DeepConvLSTM only, glibc heap settings {(TinierHar.Native.NativeHeap.Tuned ? "on" : "off")}), build {Machine.Config()}";
var text = $"""
    # Profile: where a training step's time goes

    Measured {started:yyyy-MM-dd HH:mm} UTC ({(DateTime.UtcNow - started).TotalMinutes:F1} min) on {machine}.
    **1 torch thread.** Load average (1 min) before / after: {loadBefore} / {loadAfter} (the machine is shared; this
    benchmark itself keeps one core busy). Command: `dotnet run -c Release --project bench/profile`.

    Synthetic input `randn(B, 1, {T}, {C})`, K={K} (USC-HAD's shape), seed 1, default hyper-parameters, training mode,
    cross-entropy, AdamW. Whole step: median of {reps} steps after one warm-up (forward includes the loss). Per part: the
    module alone on its captured input (detached; requiring grad when the original input did), forward then backward
    from a fixed random output gradient, median of {reps} runs after one warm-up. Parts are measured in isolation, so
    their sum can differ from the step; "rest" is the step minus the parts (the glue between modules: reshapes,
    softmax and weighting, loss; negative when isolation costs more than in place).

    {report.ToString().TrimEnd()}

    ## Fast path vs plain: TinierHAR train step, 1 thread

    The whole step (forward, cross-entropy, backward, AdamW) of TinierHAR (F=4, M=4, H=16) on `randn(B, 1, {T}, {C})`,
    plain TorchSharp path (`KernelSwitch.Plain()`) and fast path (fused conv blocks and GRU recurrence, `lib/Kernels`) alternating step by
    step in this process after one warm-up step each, median of {3 * reps} steps per path. Same model state on both paths.

    {compareText}
    """;
Machine.WriteResults(outFile, text + Environment.NewLine);
return 0;

/// <summary>One model at one batch size: the whole step and its parts.</summary>
sealed record ProfileResult(string Engine, double ForwardMs, double BackwardMs, double OptimizerMs, string Load, IReadOnlyList<UnitTime> Units)
{
    public double StepMs => ForwardMs + BackwardMs + OptimizerMs;
}

/// <summary>Forward and backward time of one module run alone.</summary>
sealed record UnitTime(string Name, string Type, double ForwardMs, double BackwardMs);

static class Profile
{
    public static ProfileResult Run(string model, int batch, int reps, int T, int C, int K)
    {
        torch.manual_seed(1);
        using var net = ModelCatalog.Create(new ModelSpec(model), new InputShape(T, C, K));
        using var backend = TinierHar.Native.OneDnn.For(net); // as the Trainer: oneDNN for DeepConvLSTM only
        net.train();
        using var opt = torch.optim.AdamW(net.parameters(), lr: 1e-3, weight_decay: 0.01);
        using var lossFn = nn.CrossEntropyLoss();
        using var x = torch.randn(batch, 1, T, C);
        using var y = torch.randint(0, K, [batch]);
        var fwd = new List<double>();
        var bwd = new List<double>();
        var step = new List<double>();
        Machine.Settle();
        for (int s = 0; s <= reps; s++)
        {
            using var scope = torch.NewDisposeScope();
            opt.zero_grad();
            long t0 = Stopwatch.GetTimestamp();
            var loss = lossFn.call(net.call(x), y);
            long t1 = Stopwatch.GetTimestamp();
            loss.backward();
            long t2 = Stopwatch.GetTimestamp();
            opt.step();
            long t3 = Stopwatch.GetTimestamp();
            if (s == 0) continue;
            fwd.Add(Ms(t1 - t0)); bwd.Add(Ms(t2 - t1)); step.Add(Ms(t3 - t2));
        }
        var units = Units(net).Select(u => TimeUnit(net, u.Name, u.Module, x, reps)).ToList();
        return new ProfileResult(TinierHar.Kernels.KernelSwitch.EngineFor(net, ScalarType.Float32), Median(fwd), Median(bwd), Median(step), Machine.LoadAverage(), units);
    }

    /// <summary>Median TinierHAR train step on the plain and on the fast path, alternating, and the load average after.</summary>
    public static (double PlainMs, double FastMs, string Load) Compare(int batch, int reps, int T, int C, int K)
    {
        torch.manual_seed(1);
        using var net = ModelCatalog.Create(new ModelSpec(ModelCatalog.TinierHar), new InputShape(T, C, K));
        net.train();
        using var opt = torch.optim.AdamW(net.parameters(), lr: 1e-3, weight_decay: 0.01);
        using var lossFn = nn.CrossEntropyLoss();
        using var x = torch.randn(batch, 1, T, C);
        using var y = torch.randint(0, K, [batch]);
        var plain = new List<double>();
        var fast = new List<double>();
        Machine.Settle();
        for (int s = 0; s <= reps; s++)
            foreach (bool usePlain in new[] { true, false })
            {
                using var scope = torch.NewDisposeScope();
                using var engine = usePlain ? TinierHar.Kernels.KernelSwitch.Plain() : null;
                long t0 = Stopwatch.GetTimestamp();
                opt.zero_grad();
                lossFn.call(net.call(x), y).backward();
                opt.step();
                double ms = Ms(Stopwatch.GetTimestamp() - t0);
                if (s > 0) (usePlain ? plain : fast).Add(ms);
            }
        return (Median(plain), Median(fast), Machine.LoadAverage());
    }

    /// <summary>The model's children, with Sequential and ModuleList children replaced by their own children.</summary>
    static IEnumerable<(string Name, nn.Module Module)> Units(nn.Module net)
    {
        foreach (var (name, child) in net.named_children())
        {
            if (child is Sequential or ModuleList<nn.Module<Tensor, Tensor>> or ModuleList<DeepConvBlock> or ModuleList<LSTM>)
                foreach (var (sub, grandchild) in child.named_children()) yield return ($"{name}.{sub}", grandchild);
            else yield return (name, child);
        }
    }

    static UnitTime TimeUnit(nn.Module<Tensor, Tensor> net, string name, nn.Module unit, Tensor x, int reps)
    {
        var (input, needsGrad) = CaptureInput(net, unit, x);
        using var _ = input;
        if (input is null) return new UnitTime(name + " (not run)", unit.GetType().Name, 0, 0);
        Tensor? gradOut = null;
        var fwd = new List<double>();
        var bwd = new List<double>();
        for (int s = 0; s <= reps; s++)
        {
            using var scope = torch.NewDisposeScope();
            var xi = input.detach().requires_grad_(needsGrad);
            long t0 = Stopwatch.GetTimestamp();
            var yi = RunUnit(unit, xi);
            long t1 = Stopwatch.GetTimestamp();
            if (gradOut is null) gradOut = torch.randn_like(yi).DetachFromDisposeScope();
            if (yi.requires_grad) torch.autograd.backward(yi, gradOut);
            long t2 = Stopwatch.GetTimestamp();
            if (s == 0) continue;
            fwd.Add(Ms(t1 - t0)); bwd.Add(Ms(t2 - t1));
        }
        gradOut?.Dispose();
        foreach (var p in unit.parameters()) p.grad?.zero_();
        return new UnitTime(name, unit.GetType().Name, Median(fwd), Median(bwd));
    }

    static Tensor RunUnit(nn.Module unit, Tensor x) => unit switch
    {
        GRU gru => TinierHar.Kernels.KernelSwitch.UseFast(x) ? TinierHar.Kernels.FusedGru.Forward(gru, x) : gru.call(x, null).Item1, // as TinierHarModel
        LSTM lstm => lstm.call(x, null).Item1,
        nn.Module<Tensor, Tensor> m => m.call(x),
        _ => throw new InvalidOperationException($"cannot run {unit.GetType().Name}"),
    };

    /// <summary>The input the unit receives in one forward pass of the model (a copy), and whether it required grad.</summary>
    static (Tensor? Input, bool NeedsGrad) CaptureInput(nn.Module<Tensor, Tensor> net, nn.Module unit, Tensor x)
    {
        Tensor? captured = null;
        bool needsGrad = false;
        void Keep(Tensor t)
        {
            if (captured is not null) return;
            needsGrad = t.requires_grad;
            captured = t.detach().clone().DetachFromDisposeScope();
        }
        Action remove = unit switch
        {
            GRU gru => gru.register_forward_pre_hook((m, t, h) => { Keep(t); return (t, h); }).remove,
            LSTM lstm => lstm.register_forward_pre_hook((m, t, h) => { Keep(t); return (t, h); }).remove,
            nn.Module<Tensor, Tensor> m => m.register_forward_pre_hook((_, t) => { Keep(t); return t; }).remove,
            _ => throw new InvalidOperationException($"cannot hook {unit.GetType().Name}"),
        };
        try
        {
            // on the plain path, where every module runs as itself (the fast GRU does not call its module)
            using var scope = torch.NewDisposeScope();
            using var plain = TinierHar.Kernels.KernelSwitch.Plain();
            net.call(x);
        }
        finally { remove(); }
        return (captured, needsGrad);
    }

    static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
