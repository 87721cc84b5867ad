using TinierHar.Analysis;
using TinierHar.Models;
using TinierHar.Tests.Data;
using TinierHar.Training;

namespace TinierHar.Tests.Analysis;

/// <summary>Results, epoch logs and confusion matrices. Synthetic result rows and files (mechanics only); the costs
/// come from the counter with USC-HAD's registry shape.</summary>
public class ResultsViewTests
{
    static ResultRow Row(string model, string variant, string preset, int fold, double f1) =>
        new(new RunKey("uschad", model, variant, preset, 1, fold), 0.9, f1, 0.8, 10, 5, 1.0);

    [Fact]
    public void Points_group_rows_and_cost_them_with_the_dataset_shape()
    {
        var rows = new[]
        {
            Row("tinierhar", "full", "quick-e2-n2000", 0, 0.5), Row("tinierhar", "full", "quick-e2-n2000", 1, 0.7),
            Row("tinierhar", "full-F2-M2-H8", "quick-e2-n2000", 0, 0.4), Row("deepconvlstm", "no-lstm", "paper", 0, 0.6),
            Row("tinierhar", "full", "quick-e2-n2000", 2, 0.1) with { Status = "failed" },
        };
        var points = ResultsView.Points(rows);
        Assert.Equal(3, points.Count);
        var full = Assert.Single(points, p => p.Variant == "full");
        Assert.Equal(("TinierHAR", 2, 0.6, "quick-e2-n2000"), (full.Label, full.Runs, Math.Round(full.MacroF1, 12), full.Preset));
        Assert.Equal(Math.Sqrt(0.02), full.MacroF1Std, 12);
        var shape = new InputShape(400, 6, 12);
        var costFull = CostTables.Count(new ModelSpec("tinierhar"), shape);
        Assert.Equal((costFull.Params, costFull.Macs), (full.Parameters, full.Macs));
        var small = Assert.Single(points, p => p.Variant == "full-F2-M2-H8");
        Assert.Equal("TinierHAR F=2 M=2 H=8", small.Label);
        Assert.True(small.Parameters < full.Parameters);
        Assert.Equal("DeepConvLSTM w/o LSTM", Assert.Single(ResultsView.Points(rows, "paper")).Label);
        Assert.Equal(2, ResultsView.Points(rows, "quick").Count);
        Assert.Empty(ResultsView.Points(rows, "reference"));
        Assert.Throws<TinierHarException>(() => ResultsView.Points([Row("tinierhar", "full", "p", 0, 1) with { Key = new RunKey("nope", "tinierhar", "full", "p", 1, 0) }]));
    }

    [Fact]
    public void Epochs_and_confusion_read_the_run_files_and_name_bad_lines()
    {
        using var dir = new TempDir("thview");
        dir.File(RunStore.EpochsFile, "epoch,train_loss,validation_loss,validation_accuracy,validation_macro_f1,learning_rate,seconds,improved\n" +
            "1,1.5,1.25,0.5,0.4,0.001,2.500,1\n2,1.0,1.5,0.6,0.5,0.001,2.000,0\n");
        var epochs = ResultsView.Epochs(dir.Path);
        Assert.Equal([new EpochLog(1, 1.5, 1.25, 0.5, 0.4, 0.001, 2.5, true), new EpochLog(2, 1.0, 1.5, 0.6, 0.5, 0.001, 2.0, false)], epochs);

        dir.File(RunStore.PredictionsFile, "window,subject,label,prediction\n0,1,0,0\n1,1,1,2\n2,1,2,2\n3,2,1,2\n");
        var m = ResultsView.Confusion(dir.Path, 3);
        Assert.Equal(new[,] { { 1, 0, 0 }, { 0, 0, 2 }, { 0, 0, 1 } }, m);

        var e = Assert.Throws<TinierHarException>(() => ResultsView.Confusion(dir.Path, 2));
        Assert.Contains(RunStore.PredictionsFile + ", line 3", e.Message);
        dir.File(RunStore.PredictionsFile, "window,subject,label,prediction\n0,1,0,0\n1,1,x,2\n");
        Assert.Contains("line 3", Assert.Throws<TinierHarException>(() => ResultsView.Confusion(dir.Path, 3)).Message);
        dir.File(RunStore.EpochsFile, "epoch,train_loss,validation_loss,validation_accuracy,validation_macro_f1,learning_rate,seconds,improved\n1,abc,1,1,1,1,1,1\n");
        e = Assert.Throws<TinierHarException>(() => ResultsView.Epochs(dir.Path));
        Assert.Contains(RunStore.EpochsFile + ", line 2", e.Message);
        dir.File(RunStore.EpochsFile, "epoch,train_loss\n");
        Assert.Contains("line 1", Assert.Throws<TinierHarException>(() => ResultsView.Epochs(dir.Path)).Message);
        Assert.Contains("file not found", Assert.Throws<TinierHarException>(() => ResultsView.Epochs(dir.Sub("none"))).Message);
    }
}
