using System.Diagnostics;
using System.Text.Json;
using TinierHar.Data;
using TinierHar.Interop;
using TinierHar.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinierHar.Training;

/// <summary>
/// Trains and tests one fold (reference: <c>experiment.py</c> <c>Exp.train</c>, docs/reference.md section 5): seeds torch, builds
/// the model, AdamW + CrossEntropyLoss(mean), shuffled mini-batches, validation loss each epoch (eval mode, then back
/// to train mode), early stopping checked before the LR adapter, best weights kept (memory + <c>best.pth</c>) and
/// reloaded for the test in eval mode.
/// </summary>
/// <remarks>
/// <para>Differences: the batch order comes from <see cref="System.Random"/> re-seeded from (seed, epoch) each epoch
/// (the reference's DataLoader draws from the global torch RNG), so resuming needs no shuffle state; dropout draws from
/// torch's global generator, whose state is saved with every epoch. The last partial batch is kept (the reference's
/// DataLoader has <c>drop_last=False</c>). No CUDA, no cudnn flags.</para>
/// <para>With a run folder, every epoch ends with <c>last.ckpt</c> (model, optimizer, LR/early-stopping counters,
/// torch RNG state, epoch log; one file written atomically); a later call with the same folder resumes from it and
/// ends with the same numbers as an uninterrupted run.</para>
/// </remarks>
public static class Trainer
{
    public const string LastFile = "last.ckpt", BestFile = "best.pth";
    const string Magic = "TINIERHAR-TRAINSTATE-1";

    /// <summary>Trains, validates and tests one prepared fold.</summary>
    /// <param name="data">The fold's train/validation/test parts.</param>
    /// <param name="spec">Model and variant.</param>
    /// <param name="config">Training settings (seed included).</param>
    /// <param name="runDir">Folder for <c>best.pth</c> and <c>last.ckpt</c> (resumed from when present); null = memory only.</param>
    /// <param name="progress">Receives one report per epoch.</param>
    /// <param name="cancel">Checked before each epoch: throws <see cref="OperationCanceledException"/> (state of the
    /// epochs done is on disk).</param>
    public static FoldResult Run(PreparedFold data, ModelSpec spec, TrainingConfig config, string? runDir = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        config.Validate();
        if (config.Threads is int threads) torch.set_num_threads(threads);
        var dtype = config.Dtype == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        var info = data.Info;
        var clock = Stopwatch.StartNew();

        torch.manual_seed(config.Seed);
        using var model = ModelCatalog.Create(spec, new InputShape(info.WindowT, info.C, info.K));
        model.to(dtype);
        using var backend = Native.OneDnn.For(model, dtype); // oneDNN only for models outside its convolution bug
        using var optimizer = torch.optim.AdamW(model.parameters(), config.LearningRate, config.Beta1, config.Beta2, config.Eps, config.WeightDecay);
        using var lossFn = nn.CrossEntropyLoss();
        var lr = config.LearningRate;
        var lrAdapter = new LrAdapter(config.LrPatience, config.LrFactor);
        var stopping = new EarlyStopping(config.EarlyStoppingPatience);
        var log = new List<EpochLog>();
        Dictionary<string, Tensor>? best = null;
        int bestEpoch = 0;
        double priorSeconds = 0;

        if (runDir is not null)
        {
            Directory.CreateDirectory(runDir);
            var last = Path.Combine(runDir, LastFile);
            if (File.Exists(last))
            {
                var state = LoadState(last, model, optimizer);
                lr = state.LearningRate;
                lrAdapter.Best = state.LrBest; lrAdapter.Counter = state.LrCounter;
                stopping.Best = state.EsBest; stopping.Counter = state.EsCounter; stopping.Stop = state.Stopped;
                log.AddRange(state.Log);
                bestEpoch = state.BestEpoch;
                priorSeconds = state.Seconds;
                using (var rng = torch.tensor(state.RngState)) torch.set_rng_state(rng);
                best = Checkpoint.ReadStateDict(Path.Combine(runDir, BestFile));
            }
        }
        SetLearningRate(optimizer, lr);

        int trainCount = Math.Min(data.Train.Count, config.MaxTrainWindows ?? int.MaxValue);
        var trainX = data.Train.XTensor;
        var trainY = data.Train.YTensor;
        try
        {
            for (int epoch = log.Count + 1; epoch <= config.Epochs && !stopping.Stop; epoch++)
            {
                cancel.ThrowIfCancellationRequested();
                var epochClock = Stopwatch.StartNew();
                model.train();
                double lossSum = 0; int batches = 0;
                var order = Shuffle(trainCount, config.Seed, epoch);
                for (int start = 0; start < trainCount; start += config.BatchSize)
                {
                    using var scope = torch.NewDisposeScope();
                    var idx = torch.tensor(order.AsSpan(start, Math.Min(config.BatchSize, trainCount - start)).ToArray());
                    var x = trainX.index_select(0, idx).to(dtype);
                    var y = trainY.index_select(0, idx);
                    optimizer.zero_grad();
                    var loss = lossFn.call(model.call(x), y);
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.ToDouble(); batches++;
                }
                var (valLoss, valPred) = Evaluate(model, lossFn, data.Validation, config.BatchSize, dtype);
                model.train(); // as the reference's validation()
                var val = Score(data.Validation.Y, valPred, info);

                bool improved = stopping.Check(valLoss); // early stopping before the LR adapter, as the reference
                if (improved)
                {
                    DisposeAll(best);
                    best = Snapshot(model);
                    bestEpoch = epoch;
                    if (runDir is not null) Checkpoint.Save(model, Path.Combine(runDir, BestFile));
                }
                log.Add(new EpochLog(epoch, lossSum / Math.Max(1, batches), valLoss, val.Accuracy, val.MacroF1, lr, epochClock.Elapsed.TotalSeconds, improved));
                if (!stopping.Stop)
                {
                    lr = lrAdapter.Step(valLoss, lr);
                    SetLearningRate(optimizer, lr);
                }
                var seconds = priorSeconds + clock.Elapsed.TotalSeconds;
                if (runDir is not null)
                    SaveState(Path.Combine(runDir, LastFile), model, optimizer, new TrainState(epoch, lr, lrAdapter.Best, lrAdapter.Counter,
                        stopping.Best, stopping.Counter, stopping.Stop, bestEpoch, seconds, RngState(), log));
                var perEpoch = EpochLog.TypicalSeconds(log);
                progress?.Report(new TrainingProgress(data.Fold.Index, config.Seed, epoch, config.Epochs, log[^1].TrainLoss, valLoss, val.MacroF1,
                    TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(perEpoch * (config.Epochs - epoch)), stopping.Stop, perEpoch));
            }

            // Test the best weights (lowest validation loss) in eval mode.
            if (best is null) throw new TinierHarException("no epoch was trained (epochs = 0?)");
            Checkpoint.Load(model, best, strict: true, origin: "best weights");
            var (_, testPred) = Evaluate(model, lossFn, data.Test, config.BatchSize, dtype);
            var test = Score(data.Test.Y, testPred, info);
            return new FoldResult(log, bestEpoch, stopping.Best ?? double.NaN, stopping.Stop, test, data.Test.Y.ToArray(), testPred,
                priorSeconds + clock.Elapsed.TotalSeconds) { Engine = Kernels.KernelSwitch.EngineFor(model, dtype) };
        }
        finally
        {
            DisposeAll(best);
            // Disposing a TorchSharp optimizer leaves its per-parameter state (exp_avg, exp_avg_sq) alive.
            foreach (var st in optimizer.state_dict().State) (st as IDisposable)?.Dispose();
        }
    }

    /// <summary>Mean of per-batch mean losses and the argmax predictions over a part, in eval mode without gradients.</summary>
    public static (double Loss, int[] Predictions) Evaluate(nn.Module<Tensor, Tensor> model, nn.Module<Tensor, Tensor, Tensor> lossFn,
        PreparedPart part, int batchSize, ScalarType dtype)
    {
        model.eval();
        // Touch the part's tensors outside any dispose scope: they are created lazily and owned by the part.
        var partX = part.XTensor;
        var partY = part.YTensor;
        var predictions = new int[part.Count];
        double lossSum = 0; int batches = 0;
        using var noGrad = torch.no_grad();
        for (int start = 0; start < part.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            int n = Math.Min(batchSize, part.Count - start);
            var x = partX.narrow(0, start, n).to(dtype);
            var y = partY.narrow(0, start, n);
            var logits = model.call(x);
            lossSum += lossFn.call(logits, y).ToDouble(); batches++;
            var p = logits.argmax(1).data<long>().ToArray();
            for (int i = 0; i < n; i++) predictions[start + i] = (int)p[i];
        }
        return (batches == 0 ? double.NaN : lossSum / batches, predictions);
    }

    static EvaluationMetrics Score(int[] labels, int[] predictions, DatasetInfo info) =>
        Metrics.Compute(Array.ConvertAll(labels, v => (long)v), Array.ConvertAll(predictions, v => (long)v), info.K, info.ClassNames);

    /// <summary>The epoch's batch order: Fisher–Yates with <see cref="System.Random"/> seeded from (seed, epoch).</summary>
    public static int[] Shuffle(int n, int seed, int epoch)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var rng = new Random(unchecked(seed * 1_000_003 + epoch));
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    static void SetLearningRate(optim.Optimizer optimizer, double lr)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
    }

    static Dictionary<string, Tensor> Snapshot(nn.Module model)
    {
        using var noGrad = torch.no_grad();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope(), StringComparer.Ordinal);
    }

    static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        if (tensors is null) return;
        foreach (var t in tensors.Values) t.Dispose();
        tensors.Clear();
    }

    static byte[] RngState()
    {
        using var s = torch.get_rng_state();
        return s.data<byte>().ToArray();
    }

    sealed record TrainState(int Epoch, double LearningRate, double? LrBest, int LrCounter, double? EsBest, int EsCounter, bool Stopped,
        int BestEpoch, double Seconds, byte[] RngState, List<EpochLog> Log);

    static void SaveState(string path, nn.Module model, OptimizerHelper optimizer, TrainState state)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = File.Create(tmp))
            using (var w = new BinaryWriter(stream))
            {
                w.Write(Magic);
                w.Write(JsonSerializer.Serialize(state));
                model.save(w);
                optimizer.save_state_dict(w);
            }
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    static TrainState LoadState(string path, nn.Module model, OptimizerHelper optimizer)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var r = new BinaryReader(stream);
            if (r.ReadString() != Magic) throw new TinierHarException($"{path}: not a TinierHar training state");
            var state = JsonSerializer.Deserialize<TrainState>(r.ReadString()) ?? throw new TinierHarException($"{path}: empty training state");
            model.load(r);
            optimizer.load_state_dict(r);
            return state;
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or JsonException or ArgumentException or InvalidOperationException)
        {
            throw new TinierHarException($"{path}: unreadable training state ({e.Message}); delete it to start the fold again", e);
        }
    }
}
