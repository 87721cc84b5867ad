using TinierHar.Models;
using TinierHar.Training;
using TinierHar.Tests.Data;
using TorchSharp;

namespace TinierHar.Tests.Training;

/// <summary>A synchronous progress sink (System.Progress posts to a thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
{
    public void Report(T value) => action(value);
}

[Collection(TorchRngCollection.Name)]
public class TrainerTests
{
    static readonly ModelSpec Spec = new("tinierhar", "full");

    static TrainingConfig Config(int epochs = 4) => TrainingConfig.FromPreset("quick") with { Epochs = epochs, BatchSize = 16, Seed = 3, Threads = 1 };

    [Fact]
    public void Learns_synthetic_classes()
    {
        using var fold = TrainingData.Load().Prepare(0, 3);
        var r = Trainer.Run(fold, Spec, Config(12) with { LearningRate = 1e-2 });
        Assert.Equal(12, r.Epochs.Count);
        Assert.True(r.Test.MacroF1 > 0.6, $"macro F1 {r.Test.MacroF1}");
        Assert.Equal(fold.Test.Count, r.TestPredictions.Length);
        Assert.InRange(r.BestEpoch, 1, 12);
    }

    [Fact]
    public void Same_seed_one_thread_gives_identical_results()
    {
        var data = TrainingData.Load();
        using var f1 = data.Prepare(1, 3);
        var a = Trainer.Run(f1, Spec, Config());
        using var f2 = data.Prepare(1, 3);
        var b = Trainer.Run(f2, Spec, Config());
        Assert.Equal(a.TestPredictions, b.TestPredictions);
        Assert.Equal((a.Test.Accuracy, a.Test.MacroF1, a.Test.WeightedF1), (b.Test.Accuracy, b.Test.MacroF1, b.Test.WeightedF1));
        Assert.Equal(a.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)), b.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)));
    }

    [Fact]
    public void Resumed_run_ends_with_the_same_numbers_as_an_uninterrupted_one()
    {
        var data = TrainingData.Load();
        using var dirA = new TempDir("thtrain");
        using var dirB = new TempDir("thtrain");
        var config = Config(6);
        using var fold = data.Prepare(0, 3);
        var full = Trainer.Run(fold, Spec, config, dirA.Path);

        using var cts = new CancellationTokenSource();
        var stopAfter3 = new SyncProgress<TrainingProgress>(p => { if (p.Epoch == 3) cts.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => Trainer.Run(fold, Spec, config, dirB.Path, stopAfter3, cts.Token));
        Assert.True(File.Exists(Path.Combine(dirB.Path, Trainer.LastFile)));
        var resumedReports = new List<TrainingProgress>();
        var resumed = Trainer.Run(fold, Spec, config, dirB.Path, new SyncProgress<TrainingProgress>(resumedReports.Add));

        Assert.Equal([4, 5, 6], resumedReports.Select(p => p.Epoch));
        // The epoch time counts the epochs restored from the checkpoint by their own times, not the gap between sessions.
        Assert.Equal(EpochLog.TypicalSeconds(resumed.Epochs), resumedReports[^1].SecondsPerEpoch);
        Assert.Equal(full.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.LearningRate, e.Improved)),
            resumed.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.LearningRate, e.Improved)));
        Assert.Equal((full.Test.Accuracy, full.Test.MacroF1, full.Test.WeightedF1), (resumed.Test.Accuracy, resumed.Test.MacroF1, resumed.Test.WeightedF1));
        Assert.Equal(full.TestPredictions, resumed.TestPredictions);
        Assert.Equal(full.BestEpoch, resumed.BestEpoch);
    }

    [Fact]
    public void Typical_epoch_time_is_the_median_of_the_last_ten_epochs()
    {
        static EpochLog E(int epoch, double seconds) => new(epoch, 1, 1, 0.5, 0.5, 1e-3, seconds, false);
        Assert.Equal(11, EpochLog.TypicalSeconds([E(1, 10), E(2, 3000), E(3, 11), E(4, 12), E(5, 11)])); // a paused epoch
        Assert.Equal(10.5, EpochLog.TypicalSeconds([E(1, 10), E(2, 11)]));
        // Only the last ten count: two slow first epochs, then ten at 5 s.
        Assert.Equal(5, EpochLog.TypicalSeconds([E(1, 60), E(2, 60), .. Enumerable.Range(3, 10).Select(e => E(e, 5))]));
        Assert.Throws<ArgumentException>(() => EpochLog.TypicalSeconds([]));
    }

    /// <summary>Tensors alive after collecting unreachable wrappers (TorchSharp hands out finalizable wrappers for parameters).</summary>
    static long LiveTensors()
    {
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        return torch.Tensor.TotalCount;
    }

    [Fact]
    public void Epochs_leak_no_tensors()
    {
        using var fold = TrainingData.Load().Prepare(1, 3);
        _ = (fold.Train.XTensor, fold.Train.YTensor, fold.Validation.XTensor, fold.Validation.YTensor, fold.Test.XTensor, fold.Test.YTensor);
        long before = LiveTensors();
        var counts = new List<long>();
        Trainer.Run(fold, Spec, Config(8), progress: new SyncProgress<TrainingProgress>(_ => counts.Add(LiveTensors())));
        Assert.Equal(8, counts.Count);
        Assert.All(counts, c => Assert.Equal(counts[0], c)); // model + optimizer state + best weights only
        // Model, optimizer state and best weights are disposed. Building a model raises Tensor.TotalCount by one per
        // parameter made with nn.Parameter(torch.empty(..)) (48 for TinierHAR: 44 conv/BN + 4 linear): TorchSharp moves
        // the handle out of the temporary wrapper and never counts that wrapper down. A counter artefact, not memory.
        long afterRun = LiveTensors();
        ModelCatalog.Create(Spec, new InputShape(32, 3, 3)).Dispose();
        long modelLeak = LiveTensors() - afterRun;
        Assert.Equal(modelLeak, afterRun - before);
    }
}

[Collection(TorchRngCollection.Name)]
public class TrainerOptionTests
{
    [Fact]
    public void Float64_trains_and_progress_prints_one_line_per_epoch()
    {
        using var fold = TrainingData.Load().Prepare(0, 1);
        var text = new StringWriter();
        var r = Trainer.Run(fold, new ModelSpec("tinierhar"), TrainingConfig.FromPreset("quick") with { Epochs = 2, BatchSize = 32, Dtype = "float64", Threads = 1 },
            progress: new ConsoleProgress(text, interactive: false));
        Assert.Equal(2, r.Epochs.Count);
        Assert.All(r.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && double.IsFinite(e.ValidationLoss)));
        var lines = text.ToString().TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("fold 0 seed 1 epoch 1/2: train loss", lines[0]);
    }

    [Fact]
    public void Early_stopping_ends_training_and_tests_the_best_epoch()
    {
        using var fold = TrainingData.Load().Prepare(1, 1);
        // (lr 0 would repeat the same loss, which counts as an improvement.) A huge lr makes the validation loss
        // jump around; with patience 1 the first worse epoch stops training.
        var r = Trainer.Run(fold, new ModelSpec("tinierhar"), TrainingConfig.FromPreset("quick") with { Epochs = 30, BatchSize = 16, LearningRate = 5, EarlyStoppingPatience = 1, Threads = 1 });
        Assert.True(r.EarlyStopped);
        Assert.True(r.Epochs.Count < 30);
        Assert.False(r.Epochs[^1].Improved);
        Assert.Equal(r.Epochs.Where(e => e.Improved).Max(e => e.Epoch), r.BestEpoch);
    }
}
