using System.Globalization;
using TinierHar.Analysis;
using TinierHar.Data;
using TinierHar.Efficiency;
using TinierHar.Export;
using TinierHar.Models;
using TinierHar.Tests.Cli;
using TinierHar.Tests.Data;
using TinierHar.Training;
using Xunit.Abstractions;

namespace TinierHar.Tests.Export;

/// <summary>
/// <see cref="ExportEvaluation"/> (what notebook 05 shows) on the committed HAPT fold and its real test windows: the float
/// C within 1e-4 of TorchSharp with the predictions of <c>test_predictions.csv</c>, int8 macro F1 within 1 point of
/// float, and the int8 export it scored is the one <c>tinierhar export --int8</c> writes. Also <see cref="EdgeDeployment"/>'s
/// choice of fold in the committed study, its guard without the dataset, and its computed sentences on SYNTHETIC rows.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class ExportEvaluationTests(ITestOutputHelper output)
{
    static string HaptFold => Int8ExportTests.HaptFold;

    [RequiresSharedFact(SharedFiles.Hapt)]
    public void Committed_HAPT_fold_float_C_is_TorchSharp_and_int8_is_within_one_point_of_float()
    {
        var root = CHarness.TempDir("export-evaluation");
        try
        {
            using var source = ExportSource.FromRun(HaptFold);
            var evaluation = ExportEvaluation.Evaluate(source, TestPaths.SharedDataFolder, RealData.Cache, Path.Combine(root, "work"));
            Assert.Equal(["TorchSharp", "float32 C", "int8 C"], evaluation.Scores.Select(s => s.Build));
            var (torch, f32, i8) = (evaluation.Torch, evaluation.Float, evaluation.Int8!);

            var stored = File.ReadAllLines(Path.Combine(HaptFold, RunStore.PredictionsFile)).Skip(1).Where(l => l.Length > 0)
                .Select(l => l.Split(',')).Select(f => (Window: int.Parse(f[0], CultureInfo.InvariantCulture), Prediction: long.Parse(f[3], CultureInfo.InvariantCulture)))
                .ToArray();
            Assert.Equal(stored.Select(s => s.Window), evaluation.WindowIndices);
            Assert.Equal(stored.Length, f32.TestWindows);
            Assert.Equal(stored.Select(s => s.Prediction), evaluation.Predictions[0]);
            Assert.Equal(stored.Select(s => s.Prediction), evaluation.Predictions[1]);

            Assert.True(f32.MaxAbsLogitDifference <= 1e-4, $"float C logits differ from TorchSharp by {f32.MaxAbsLogitDifference:E3}");
            Assert.Equal(0, f32.PredictionsChanged);
            Assert.Equal(torch.MacroF1, f32.MacroF1);
            Assert.Equal((0.0, 0, (long?)null), (torch.MaxAbsLogitDifference, torch.PredictionsChanged, torch.WeightBytes));
            Assert.Equal(i8.PredictionsChanged, evaluation.Predictions[2].Zip(evaluation.Predictions[0]).Count(p => p.First != p.Second));
            Assert.True(Math.Abs(f32.MacroF1 - i8.MacroF1) <= 0.01, $"int8 macro F1 {i8.MacroF1:F4} is more than 1 point from float's {f32.MacroF1:F4}");
            Assert.True(i8.WeightBytes < f32.WeightBytes / 2 && i8.ActivationBytes < f32.ActivationBytes / 2, $"{i8} against {f32}");
            Assert.Equal((evaluation.Exports[0].WeightBytes, evaluation.Exports[1].ActivationBytes), (f32.WeightBytes!.Value, i8.ActivationBytes!.Value));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"HAPT fold 0, {f32.TestWindows} test windows: macro F1 float {f32.MacroF1:F4}, int8 {i8.MacroF1:F4}; {i8.PredictionsChanged} predictions differ; float C max |Δlogit| {f32.MaxAbsLogitDifference:E2}"));

            // The int8 export scored here is the CLI's, byte for byte (same calibration windows, same file).
            var cliDir = Path.Combine(root, "cli-int8");
            var (code, _, err) = CliRunner.Run("export", "--run", HaptFold, "--format", "c", "--int8",
                "--data", TestPaths.Datasets, "--cache", RealData.Cache.Directory, "--out", cliDir);
            Assert.True(code == 0, err);
            Assert.Contains("C99 int8", File.ReadAllLines(Path.Combine(cliDir, "tinierhar.h"))[0]);
            Assert.Equal(File.ReadAllText(Path.Combine(cliDir, "tinierhar.c")), evaluation.Exports[1].Source);
            Assert.Equal(evaluation.Exports[1].Source, File.ReadAllText(Path.Combine(root, "work", "int8", "tinierhar.c")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Plan_exports_TinierHAR_on_the_showcase_fold_and_its_guard_names_the_dataset()
    {
        var root = CHarness.TempDir("edge-plan");
        try
        {
            var study = StudyResults.Open(Path.Combine(TestPaths.Repository, "results"));
            var plan = EdgeDeployment.Plan(study, new DataFolder(root, "test"));
            Assert.Equal(Path.GetFullPath(HaptFold), Path.GetFullPath(plan.RunDir!));
            Assert.Equal(("hapt", 0), (plan.Dataset, plan.Fold));
            Assert.False(plan.HasData);
            Assert.StartsWith($"the check needs the HAPT dataset, not found in {root}: skipped.", plan.NoData("the check"));
            Assert.Equal(Path.Combine(Path.GetFullPath(Path.Combine(root, "runs")), "export", "hapt-tinierhar-fold0"), plan.ExportDir(Path.Combine(root, "runs")));

            var emptyDir = Directory.CreateDirectory(Path.Combine(root, "empty-study")).FullName;
            File.WriteAllText(Path.Combine(emptyDir, "results.csv"), File.ReadLines(Path.Combine(TestPaths.Repository, "results", "results.csv")).First() + "\n");
            var empty = StudyResults.Open(emptyDir);
            var none = EdgeDeployment.Plan(empty, new DataFolder(root, "test"));
            Assert.Null(none.RunDir);
            Assert.False(none.HasData);
            Assert.Contains("no finished TinierHAR full fold", none.NoData("the check"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Fit_and_takeaway_sentences_are_computed_from_the_rows()
    {
        // SYNTHETIC footprints and latencies (made up for the test, not measurements).
        var shape = new InputShape(100, 3, 5);
        FootprintRow Row(string dataset, string model, bool int8, long weights, long activations) =>
            new(dataset, model, ModelVariant.Full, shape, 1, 1, int8, weights, activations);
        var budget = new McuBudget("1 KB / 1 KB", 1024, 1024);
        var rows = new[]
        {
            Row("a", ModelCatalog.TinierHar, false, 1000, 500), Row("b", ModelCatalog.TinierHar, false, 800, 600),
            Row("a", ModelCatalog.DeepConvLstm, false, 4096, 100), Row("b", ModelCatalog.DeepConvLstm, false, 1000, 2048),
        };
        Assert.Equal(
        [
            "TinierHAR float32 fits the 1 KB / 1 KB MCU on all 2 datasets (at most 1.0 KB of weights, 0.6 KB of activations).",
            "DeepConvLSTM float32 fits on 0 of 2 datasets; not on a, b (up to 4.0 KB of weights, 2.0 KB of activations).",
        ], EdgeDeployment.Fits(rows, budget));
        var summary = EdgeDeployment.Summarize(rows, budget);
        Assert.Equal([("TinierHAR", 2, 800L, 1000L, 2), ("DeepConvLSTM", 2, 1000L, 4096L, 0)],
            summary.Select(s => (s.Model, s.Datasets, s.MinWeightBytes, s.MaxWeightBytes, s.Fit)));

        var latency = new[]
        {
            new LatencyRow("uschad", ModelCatalog.TinierHar, 400, 6, 400, 40),
            new LatencyRow("uschad", ModelCatalog.DeepConvLstm, 400, 6, 1000, 2000),
        };
        var lines = EdgeDeployment.Takeaways(null, rows, budget, latency, null);
        Assert.StartsWith("The exports were not checked on real test windows here", lines[0]);
        Assert.Equal("Latency on USC-HAD's 400×6 window (this CPU, one thread, batch 1): TinierHAR's C takes 40.0 µs (within the paper's 50 µs goal), "
            + "TorchSharp 400 µs (the C is 10× faster); C of DeepConvLSTM 2,000 µs.", lines[^1]);
        Assert.Equal(10, latency[0].Speedup);
    }
}
