using TinierHar.Models;
using TinierHar.Training;
using TinierHar.Tests.Data;

namespace TinierHar.Tests.Training;

/// <summary>The slow check on real data: TinierHAR on USC-HAD (12 classes, chance ≈ 0.083) learns well above chance in
/// a short run (2 folds, 2 epochs on 600 training windows, batch 16, lr 5e-3, 1 thread; measured macro F1 0.48 and 0.46, 15 s per fold on an
/// idle machine, minutes when other processes load the 2 cores).</summary>
[Collection(TorchRngCollection.Name)]
public class RealTrainingTests
{
    [RequiresSharedFact(SharedFiles.UscHad)]
    public void TinierHar_on_uschad_learns_well_above_chance()
    {
        var data = RealData.Load("uschad");
        using var dir = new TempDir("threal-train");
        var config = TrainingConfig.FromPreset("quick") with { Epochs = 2, BatchSize = 16, LearningRate = 5e-3, MaxTrainWindows = 600, Seed = 1, Threads = 1 };
        var rows = CrossValidation.Run(data, new ModelSpec("tinierhar"), config, new RunStore(dir.Path), folds: [0, 3]);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.True(r.MacroF1 > 0.3, $"fold {r.Key.Fold}: macro F1 {r.MacroF1:F4}, accuracy {r.Accuracy:F4}"));
    }
}
