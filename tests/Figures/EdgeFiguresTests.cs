using TinierHar.Efficiency;
using TinierHar.Export;
using TinierHar.Figures;
using TinierHar.Models;
using static TinierHar.Tests.Figures.FigureSamples;

namespace TinierHar.Tests.Figures;

public class EdgeFiguresTests
{
    // SYNTHETIC rows (made up for the tests, not measurements).
    static FootprintRow Row(string dataset, string model, bool int8, long weights, long activations) =>
        new(dataset, model, ModelVariant.Full, new InputShape(100, 3, 5), 10, 100, int8, weights, activations);

    [Fact]
    public void Footprint_draws_weights_and_activations_per_configuration_on_log_axes_with_the_budget()
    {
        var rows = new[]
        {
            Row("uschad", ModelCatalog.TinierHar, false, 30_000, 40_000), Row("mhealth", ModelCatalog.TinierHar, false, 80_000, 70_000),
            Row("uschad", ModelCatalog.DeepConvLstm, false, 1_300_000, 900_000), Row("mhealth", ModelCatalog.DeepConvLstm, false, 3_500_000, 1_700_000),
            Row("uschad", ModelCatalog.TinierHar, true, 9_000, 10_000), Row("mhealth", ModelCatalog.TinierHar, true, 21_000, 18_000),
        };
        var chart = EdgeFigures.Footprint(rows, McuBudget.Wearable);
        var data = Traces(chart);
        var layout = Layout(chart);
        // Per configuration a flash trace (left, in the legend) and a RAM trace (right), then the budget on each panel.
        Assert.Equal(8, data.Count);
        Assert.Equal(["TinierHAR float32", "TinierHAR float32", "DeepConvLSTM float32", "DeepConvLSTM float32", "TinierHAR int8", "TinierHAR int8",
            "MCU budget (1 MB flash / 256 KB SRAM)", "MCU budget (1 MB flash / 256 KB SRAM)"], data.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(["uschad", "mhealth"], Strings(data[0]!["x"]));
        Assert.Equal([30_000.0, 80_000], Doubles(data[0]!["y"]));
        Assert.Equal([40_000.0, 70_000], Doubles(data[1]!["y"]));
        Assert.Equal(["x2", "y2"], [data[1]!["xaxis"]!.GetValue<string>(), data[1]!["yaxis"]!.GetValue<string>()]);
        Assert.Equal([1048576.0, 1048576], Doubles(data[6]!["y"]));
        Assert.Equal([262144.0, 262144], Doubles(data[7]!["y"]));
        Assert.Equal("dash", data[6]!["line"]!["dash"]!.GetValue<string>());
        Assert.Equal("dot", data[4]!["line"]!["dash"]!.GetValue<string>()); // int8 dotted
        Assert.Equal("log", layout["yaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("log", layout["yaxis2"]!["type"]!.GetValue<string>());
        Assert.Equal([3.0, 7], Doubles(layout["yaxis"]!["range"])); // 9,000 B to 3.5 MB, whole decades
        Assert.Contains("fits 1 MB flash / 256 KB SRAM: no", Strings(data[2]!["hovertext"])[1]);
        Assert.Contains("fits 1 MB flash / 256 KB SRAM: yes", Strings(data[0]!["hovertext"])[0]);
        Assert.Equal(1, data.Count(t => t!["showlegend"]!.GetValue<bool>() && t["name"]!.GetValue<string>() == "TinierHAR int8"));
    }

    [Fact]
    public void Latency_draws_TorchSharp_and_C_bars_on_a_log_axis_with_the_paper_goal()
    {
        var rows = new[]
        {
            new LatencyRow("uschad", ModelCatalog.TinierHar, 400, 6, 400, 40),
            new LatencyRow("uschad", ModelCatalog.DeepConvLstm, 400, 6, 1000, 2000),
        };
        var chart = EdgeFigures.Latency(rows);
        var data = Traces(chart);
        var layout = Layout(chart);
        Assert.Equal(3, data.Count);
        Assert.All(data.Take(2), t => Assert.Equal("bar", t!["type"]!.GetValue<string>()));
        Assert.Equal([400.0, 1000], Doubles(data[0]!["y"]));
        Assert.Equal([40.0, 2000], Doubles(data[1]!["y"]));
        Assert.Equal(["40.0", "2000"], Strings(data[1]!["text"]));
        Assert.Equal(["TinierHAR<br>uschad 400×6", "DeepConvLSTM<br>uschad 400×6"], Strings(data[0]!["x"]));
        Assert.Equal("group", layout["barmode"]!.GetValue<string>());
        Assert.Equal("log", layout["yaxis"]!["type"]!.GetValue<string>());
        var range = Doubles(layout["yaxis"]!["range"]);
        Assert.True(range[0] < Math.Log10(40) && range[1] > Math.Log10(2000));
        Assert.Equal([50.0, 50], Doubles(data[2]!["y"])); // the paper's goal, a dotted line in the legend
        Assert.Equal("paper's goal for TinierHAR: 50 µs", data[2]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Edge_figures_save_as_html_and_png_like_the_others()
    {
        using var folder = NewFolder();
        var store = new FigureStore(folder);
        var figure = store.Save(EdgeFigures.Latency([new LatencyRow("mhealth", ModelCatalog.TinyHar, 200, 23, 900, 300)]), "05-latency");
        Assert.Contains("data-figure=\"05-latency\"", figure.Html);
        Assert.True(File.Exists(Path.Combine(folder, "05-latency.html")));
        if (store.ChromiumPath is not null) Assert.True(File.Exists(Path.Combine(folder, "05-latency.png")), store.PngNote);
    }
}
