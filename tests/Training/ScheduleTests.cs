using TinierHar.Training;

namespace TinierHar.Tests.Training;

public class ScheduleTests
{
    [Fact]
    public void Lr_adapter_follows_the_reference_counter()
    {
        var a = new LrAdapter(patience: 3, factor: 0.1);
        Assert.Equal(1.0, a.Step(1.0, 1.0));
        Assert.Equal(1, a.Counter); // first call: counter = 1
        Assert.Equal(1.0, a.Step(1.0, 1.0)); // tie = no improvement
        Assert.Equal(2, a.Counter);
        Assert.Equal(0.1, a.Step(1.5, 1.0), 12); // counter hits 3: reduce, reset
        Assert.Equal(0, a.Counter);
        Assert.Equal(0.1, a.Step(0.5, 0.1)); // improvement resets
        Assert.Equal(0, a.Counter);
        Assert.Equal(0.5, a.Best);
    }

    [Fact]
    public void Early_stopping_counts_ties_as_improvement()
    {
        var e = new EarlyStopping(patience: 2);
        Assert.True(e.Check(1.0));
        Assert.True(e.Check(1.0)); // equal = improvement
        Assert.False(e.Check(1.1));
        Assert.False(e.Stop);
        Assert.True(e.Check(0.9));
        Assert.False(e.Check(2));
        Assert.False(e.Check(2));
        Assert.True(e.Stop);
    }

    [Fact]
    public void Presets_labels_and_json_round_trip()
    {
        var paper = TrainingConfig.FromPreset("paper");
        Assert.Equal((150, 256, 1e-3, 0.01, 7, 15), (paper.Epochs, paper.BatchSize, paper.LearningRate, paper.WeightDecay, paper.LrPatience, paper.EarlyStoppingPatience));
        Assert.Equal((80, 32), (TrainingConfig.FromPreset("reference").Epochs, TrainingConfig.FromPreset("reference").BatchSize));
        Assert.Equal("paper", paper.Label);
        Assert.Equal("paper", (paper with { Seed = 5, Threads = 1 }).Label);
        Assert.Equal("quick-e4-b16", (TrainingConfig.FromPreset("quick") with { Epochs = 4, BatchSize = 16 }).Label);
        Assert.Equal("paper-custom", (paper with { LearningRate = 1e-2 }).Label);
        var c = paper with { Seed = 3, Threads = 2, Dtype = "float64", MaxTrainWindows = 100 };
        Assert.Equal(c, TrainingConfig.FromJson(c.ToJson()));
        Assert.Contains("\"weight_decay\": 0.01", c.ToJson());
        Assert.Throws<TinierHarException>(() => TrainingConfig.FromPreset("fast"));
        Assert.Throws<TinierHarException>(() => (paper with { Dtype = "half" }).Validate());
    }
}
