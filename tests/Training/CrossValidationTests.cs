using TinierHar.Models;
using TinierHar.Training;
using TinierHar.Tests.Data;

namespace TinierHar.Tests.Training;

[Collection(TorchRngCollection.Name)]
public class CrossValidationTests
{
    static readonly ModelSpec Spec = new("tinierhar");
    static TrainingConfig Config => TrainingConfig.FromPreset("quick") with { Epochs = 3, BatchSize = 16, Threads = 1 };

    [Fact]
    public void Runs_folds_and_seeds_into_the_store_and_skips_finished_ones()
    {
        var data = TrainingData.Load();
        using var dir = new TempDir("thcv");
        var store = new RunStore(dir.Path);
        var rows = CrossValidation.Run(data, Spec, Config, store, seeds: [1, 2]);
        Assert.Equal(4, rows.Count);
        Assert.Equal(4, store.ReadResults().Count);
        var key = new RunKey("synthetic", "tinierhar", "full", "quick-b16", 2, 1);
        Assert.Equal(Path.Combine(dir.Path, "synthetic", "tinierhar-full", "quick-b16-seed2", "fold1"), store.RunDir(key));
        foreach (var f in new[] { RunStore.ConfigFile, RunStore.EpochsFile, RunStore.PredictionsFile, Trainer.BestFile, Trainer.LastFile })
            Assert.True(File.Exists(Path.Combine(store.RunDir(key), f)), f);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(store.RunDir(key), RunStore.EpochsFile)).Length);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));

        var log = new List<string>();
        var again = CrossValidation.Run(data, Spec, Config, store, seeds: [1, 2], log: log.Add);
        Assert.All(log, l => Assert.EndsWith("skipped", l));
        Assert.Equal(rows.Select(r => r.MacroF1), again.Select(r => r.MacroF1));

        var summary = Assert.Single(RunStore.Summarize(store.ReadResults()));
        Assert.Equal((2, 2, 4), (summary.Folds, summary.Seeds, summary.Runs));
        Assert.Equal(rows.Average(r => r.MacroF1), summary.MeanMacroF1, 12);

        // Another configuration in the same folder is refused.
        Assert.Throws<TinierHarException>(() => store.WriteOrCheckConfig(key, Spec, Config with { Seed = 2, LearningRate = 0.5 }));
    }

    [Fact]
    public void Interrupted_cross_validation_resumes_to_the_same_results()
    {
        var data = TrainingData.Load();
        using var a = new TempDir("thcv");
        using var b = new TempDir("thcv");
        var full = CrossValidation.Run(data, Spec, Config, new RunStore(a.Path));

        using var cts = new CancellationTokenSource();
        var kill = new SyncProgress<TrainingProgress>(p => { if (p.Fold == 1 && p.Epoch == 2) cts.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => CrossValidation.Run(data, Spec, Config, new RunStore(b.Path), progress: kill, cancel: cts.Token));
        Assert.Single(new RunStore(b.Path).ReadResults()); // fold 0 finished, fold 1 not
        var resumed = CrossValidation.Run(data, Spec, Config, new RunStore(b.Path));
        Assert.Equal(full.Select(r => (r.Key, r.Accuracy, r.MacroF1, r.WeightedF1, r.Epochs, r.BestEpoch)),
            resumed.Select(r => (r.Key, r.Accuracy, r.MacroF1, r.WeightedF1, r.Epochs, r.BestEpoch)));
    }
}
