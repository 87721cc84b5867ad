using System.Text.Json.Nodes;
using TinierHar.Analysis;
using TinierHar.Data;
using TinierHar.Figures;
using TinierHar.Training;
using static TinierHar.Tests.Figures.FigureSamples;

namespace TinierHar.Tests.Figures;

public class ChartTests
{
    private static bool? Visible(JsonNode? trace) => trace?["visible"]?.GetValue<bool>();

    [Fact]
    public void AccuracyVsCostHasOneTracePerModelPerDatasetAParetoFrontAndADatasetDropdown()
    {
        var chart = EfficiencyFigures.AccuracyVsCost(Points, CostAxis.Macs, "F1 vs MACs");
        var data = Traces(chart);
        var layout = Layout(chart);
        // uschad: TinierHAR, TinyHAR, DeepConvLSTM, Pareto; dsads: the same.
        Assert.Equal(8, data.Count);
        Assert.Equal(["TinierHAR", "TinyHAR", "DeepConvLSTM", "Pareto front", "TinierHAR", "TinyHAR", "DeepConvLSTM", "Pareto front"],
            data.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal([true, true, true, true, false, false, false, false], data.Select(Visible));
        Assert.Equal("log", layout["xaxis"]!["type"]!.GetValue<string>());
        Assert.Contains("MACs", layout["xaxis"]!["title"]!["text"]!.GetValue<string>());

        var buttons = layout["updatemenus"]![0]!["buttons"]!.AsArray();
        Assert.Equal(["uschad", "dsads"], buttons.Select(b => b!["label"]!.GetValue<string>()));
        var dsadsVisible = buttons[1]!["args"]![0]!["visible"]!.AsArray().Select(v => v!.GetValue<bool>());
        Assert.Equal([false, false, false, false, true, true, true, true], dsadsVisible);

        // TinierHAR on uschad: full point first (circle), then its variants (diamonds), x = MACs.
        var tinier = data[0]!;
        Assert.Equal([1394096.0, 700000, 900000, 1000000, 1600000], Doubles(tinier["x"]));
        Assert.Equal(["circle", "diamond", "diamond", "diamond", "diamond"], Strings(tinier["marker"]!["symbol"]));
        Assert.Contains("macro F1: 0.8000 ± 0.0200", Strings(tinier["text"])[0]);
        Assert.Contains("preset: synthetic", Strings(tinier["text"])[0]);

        // Pareto front of uschad: F2-M2-H8 (0.75), F2-M2-H16 (0.77), full TinierHAR (0.80), TinyHAR (0.82).
        Assert.Equal([700000.0, 900000, 1394096, 9255810], Doubles(data[3]!["x"]));
        Assert.Equal("dash", data[3]!["line"]!["dash"]!.GetValue<string>());

        // The untrained point is omitted and said so.
        Assert.Contains("1 point without macro F1", layout["annotations"]!.ToJsonString());
        Assert.DoesNotContain(data, t => Doubles(t!["x"]).Contains(8000000));
    }

    [Fact]
    public void AccuracyVsParametersWithOneDatasetHasNoDropdown()
    {
        var chart = EfficiencyFigures.AccuracyVsCost(Points.Where(p => p.Dataset == "dsads").ToArray(), CostAxis.Parameters, "F1 vs parameters");
        var data = Traces(chart);
        Assert.Equal(4, data.Count);
        Assert.All(data, t => Assert.True(Visible(t)));
        Assert.Null(Layout(chart)["updatemenus"]);
        Assert.Equal([37666.0], Doubles(data[0]!["x"]));
        Assert.Contains("parameters", Layout(chart)["xaxis"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void ModelColoursAreTheSameInEveryFigure()
    {
        var acc = Traces(EfficiencyFigures.AccuracyVsCost(Points, CostAxis.Macs, "t"));
        string Color(string name) => acc.First(t => t!["name"]!.GetValue<string>() == name)!["marker"]!["color"]!.GetValue<string>();
        var curves = Traces(TrainingFigures.LearningCurves([("TinierHAR", Epochs(3)), ("TinyHAR", Epochs(3)), ("DeepConvLSTM", Epochs(3))]));
        Assert.Equal(Color("TinierHAR"), curves[0]!["line"]!["color"]!.GetValue<string>());
        Assert.Equal(Color("TinyHAR"), curves[3]!["line"]!["color"]!.GetValue<string>());
        Assert.Equal(Color("DeepConvLSTM"), curves[6]!["line"]!["color"]!.GetValue<string>());
        Assert.Equal(3, new[] { Color("TinierHAR"), Color("TinyHAR"), Color("DeepConvLSTM") }.Distinct().Count());
    }

    [Fact]
    public void AblationDeltasPlotThePairedDifferencesOfTheTable()
    {
        AblationDelta[] deltas =
        [
            new("uschad", "tinierhar", "TinierHAR w/o GRU", 3, -0.06, 0.02, -0.11, -0.01, -28.3, -40.1),
            new("uschad", "tinyhar", "TinyHAR w/o conv", 1, -0.4, double.NaN, double.NaN, double.NaN, -99.0, -99.6),
            new("hapt", "tinyhar", "TinyHAR w/o LSTM", 2, 0.01, 0.03, -0.26, 0.28, -10.0, -20.0),
        ];
        var chart = EfficiencyFigures.AblationDeltas(deltas);
        var data = Traces(chart);
        Assert.Equal(["TinierHAR", "TinyHAR"], data.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal([-28.3], Doubles(data[0]!["x"]));
        Assert.Equal([-0.06], Doubles(data[0]!["y"]));
        Assert.Equal(["w/o GRU"], Strings(data[0]!["text"]));
        Assert.Equal([0.0, 0.03], Doubles(data[1]!["error_y"]!["array"])); // ± std of the paired differences; none for one pair
        Assert.Equal(["circle", "square"], Strings(data[1]!["marker"]!["symbol"])); // one symbol per dataset
        Assert.Contains("95 % CI [-0.1100, -0.0100]", data[0]!["hovertext"]![0]!.GetValue<string>());
        Assert.DoesNotContain("CI", data[1]!["hovertext"]![0]!.GetValue<string>());
        // Labels beside their points, away from the nearer edge; both axes reach past 0 and past every error bar.
        Assert.Equal(["middle right", "middle left"], Strings(data[1]!["textposition"]));
        var (x, y) = (Doubles(Layout(chart)["xaxis"]!["range"]), Doubles(Layout(chart)["yaxis"]!["range"]));
        Assert.True(x[0] < -99.0 && x[1] > 0, $"x range {x[0]}..{x[1]}");
        Assert.True(y[0] < -0.4 && y[1] > 0.04, $"y range {y[0]}..{y[1]}");
    }

    [Fact]
    public void DesignSpaceLinksTheSameFAndMAndLabelsThePoints()
    {
        var chart = EfficiencyFigures.DesignSpace(Points);
        var data = Traces(chart);
        // uschad: (F=2, M=2), (F=4, M=2) and the full model, which is the sweep's centre (F=4, M=4, H=16); dsads: its full model.
        Assert.Equal(4, data.Count);
        Assert.Equal(["F=2 M=2 H=8", "F=2 M=2 H=16"], Strings(data[0]!["text"]));
        Assert.Equal(["F=4 M=4 H=16"], Strings(data[2]!["text"]));
        Assert.Equal(0.80, Doubles(data[2]!["y"])[0], 9);
        Assert.False(data[3]!["visible"]!.GetValue<bool>()); // dsads behind the dropdown
        Assert.StartsWith("TinierHAR design space (preset synthetic)", Layout(chart)["title"]!["text"]!.GetValue<string>());
        Assert.Equal([8.0, 16], Doubles(data[0]!["marker"]!["color"]));
        Assert.Equal("lines+markers+text", data[0]!["mode"]!.GetValue<string>());
        Assert.Equal("log", Layout(chart)["xaxis"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void SignalsDrawChannelsAgainstSecondsAndShadeTheActivities()
    {
        var info = DatasetRegistry.Get("uschad");
        var labels = Enumerable.Repeat(info.ClassRawIds[0], 50).Concat(Enumerable.Repeat(info.ClassRawIds[1], 50)).Concat(Enumerable.Repeat(-7, 20)).ToArray();
        var samples = Enumerable.Range(0, labels.Length * info.C).Select(i => (float)i).ToArray();
        var rec = new Recording(1, "test", samples, info.C, labels);
        var chart = DataFigures.Signals(info, rec, [0, 2], 10, 100);
        var data = Traces(chart);
        // Two channel lines, then one legend entry per activity seen (two classes and the unknown id).
        Assert.Equal(5, data.Count);
        Assert.Equal(info.ChannelNames[0], data[0]!["name"]!.GetValue<string>());
        Assert.Equal(info.ChannelNames[2], data[1]!["name"]!.GetValue<string>());
        var x = Doubles(data[0]!["x"]);
        Assert.Equal(100, x.Length);
        Assert.Equal(10 / info.SamplingHz, x[0], 12);
        Assert.Equal((10.0 * info.C + 2), Doubles(data[1]!["y"])[0]);
        var shapes = Layout(chart)["shapes"]!.AsArray();
        Assert.Equal(3, shapes.Count);
        Assert.Equal("#d9d9d9", shapes[2]!["fillcolor"]!.GetValue<string>()); // unknown label: light grey
        Assert.Contains(info.ClassNames[0], Layout(chart)["annotations"]!.ToJsonString());
        Assert.Equal("unknown label -7", data[4]!["name"]!.GetValue<string>());
        Assert.Throws<ArgumentOutOfRangeException>(() => DataFigures.Signals(info, rec, [info.C], 0, 10));
    }

    [Fact]
    public void SignalTracesKeepFiveSignificantDigits()
    {
        var info = DatasetRegistry.Get("uschad");
        var samples = Enumerable.Range(0, 20 * info.C).Select(i => (float)(1 + i / 3.0)).ToArray(); // synthetic: 1.3333334f ...
        var rec = new Recording(1, "test", samples, info.C, Enumerable.Repeat(info.ClassRawIds[0], 20).ToArray());
        var y = Doubles(Traces(DataFigures.Signals(info, rec, [1], 0, 20))[0]!["y"]);
        Assert.Equal([1.3333, 3.3333, 5.3333], y[..3]); // channel 1 of samples 0, 1, 2 (C = 6): 4/3, 10/3, 16/3
        Assert.Equal([double.NaN, -0.0012346, 123460], Plot.Significant([double.NaN, -0.00123456, 123456.7]));
    }

    [Fact]
    public void WindowsPerClassStacksOneBarTracePerSubjectOrUsesAHeatmapForManySubjects()
    {
        var counts = new int[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        var chart = DataFigures.WindowsPerClass(["walk", "sit"], ["1", "2", "3"], counts, "windows");
        var data = Traces(chart);
        Assert.Equal(3, data.Count);
        Assert.All(data, t => Assert.Equal("bar", t!["type"]!.GetValue<string>()));
        Assert.Equal([2.0, 5], Doubles(data[1]!["y"]));
        Assert.Equal("stack", Layout(chart)["barmode"]!.GetValue<string>());

        var many = new int[2, 30];
        var heat = Traces(DataFigures.WindowsPerClass(["walk", "sit"], Enumerable.Range(1, 30).Select(i => $"{i}").ToArray(), many, "w"));
        Assert.Equal("heatmap", Assert.Single(heat)!["type"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => DataFigures.WindowsPerClass(["a"], ["1"], counts, "bad shape"));
    }

    [Fact]
    public void FoldLayoutMarksTestTrainAndAbsentSubjects()
    {
        var folds = new[]
        {
            new FoldSpec(0, [1], [1], [2, 3], 10, 2, 5, FoldStatus.Ok),
            new FoldSpec(1, [4], [], [1, 2, 3], 0, 0, 0, FoldStatus.NoTestSubjects),
        };
        var chart = DataFigures.FoldLayout(folds, [1, 2, 3, 4]);
        var heat = Assert.Single(Traces(chart))!;
        Assert.Equal("heatmap", heat["type"]!.GetValue<string>());
        Assert.Equal("[[2,1,1,0],[1,1,1,0]]", heat["z"]!.ToJsonString());
        Assert.Equal(["fold 0", "fold 1 (skipped)"], Strings(heat["y"]));
        Assert.Equal(["absent", "train", "test"], Strings(heat["colorbar"]!["ticktext"]));
    }

    [Fact]
    public void NormalizationHasTwoHistograms()
    {
        var data = Traces(DataFigures.Normalization("acc_x", [1, 2, 3], [-1, 0, 1]));
        Assert.Equal(2, data.Count);
        Assert.All(data, t => Assert.Equal("histogram", t!["type"]!.GetValue<string>()));
        Assert.Equal("x2", data[1]!["xaxis"]!.GetValue<string>());
    }

    private static IReadOnlyList<EpochLog> Epochs(int n) =>
        Enumerable.Range(1, n).Select(e => new EpochLog(e, 1.0 / e, 1.2 / e, 0.5, 0.5 + 0.1 * e, 1e-3, 1, true)).ToArray();

    [Fact]
    public void LearningCurvesHaveLossAndF1SubplotsPerRun()
    {
        var chart = TrainingFigures.LearningCurves([("run a", Epochs(4)), ("run b", Epochs(2))]);
        var data = Traces(chart);
        Assert.Equal(6, data.Count);
        Assert.Equal(["y", "y", "y2", "y", "y", "y2"], data.Select(t => t!["yaxis"]!.GetValue<string>()));
        Assert.Equal([1.0, 0.5, 1.0 / 3, 0.25], Doubles(data[0]!["y"]));
        Assert.Equal("dash", data[1]!["line"]!["dash"]!.GetValue<string>());
        Assert.NotEqual(data[0]!["line"]!["color"]!.GetValue<string>(), data[3]!["line"]!["color"]!.GetValue<string>());
        Assert.NotNull(Layout(chart)["yaxis2"]);
        Assert.Equal("Learning curves", Layout(chart)["title"]!["text"]!.GetValue<string>());
        Assert.Equal(1, Layout(chart)["xaxis"]!["dtick"]!.GetValue<int>()); // whole epochs
        Assert.Equal(15, Layout(TrainingFigures.LearningCurves([("long", Epochs(150))]))["xaxis2"]!["dtick"]!.GetValue<int>());
        Assert.Equal("USC-HAD, fold 0", Layout(TrainingFigures.LearningCurves([("run a", Epochs(1))], "USC-HAD, fold 0"))["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void ConfusionColoursRecallAndPrintsCounts()
    {
        var m = new int[,] { { 8, 2 }, { 0, 0 } };
        var chart = TrainingFigures.Confusion(m, ["walk", "sit"], "confusion");
        var heat = Assert.Single(Traces(chart))!;
        Assert.Equal("[[0.8,0.2],[null,null]]", heat["z"]!.ToJsonString());
        Assert.Equal("[[\"8\",\"2\"],[\"0\",\"0\"]]", heat["text"]!.ToJsonString());
        var layout = Layout(chart);
        Assert.Equal("true", layout["yaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("predicted", layout["xaxis"]!["title"]!["text"]!.GetValue<string>());
    }
}
