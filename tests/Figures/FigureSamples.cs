using System.Text.Json.Nodes;
using Plotly.NET;
using TinierHar.Analysis;

namespace TinierHar.Tests.Figures;

/// <summary>Shared inputs of the figure tests.</summary>
internal static class FigureSamples
{
    /// <summary>
    /// Efficiency points of two datasets. Parameters and MACs are the reference implementation's counts
    /// (tests/Fixtures/reference/efficiency.csv, same as our MAC counter); the macro F1 values are SYNTHETIC (made up for the
    /// tests, not results). One extra untrained point (NaN F1).
    /// </summary>
    public static IReadOnlyList<EfficiencyPoint> Points { get; } =
    [
        new("uschad", "tinierhar", "full", "TinierHAR", 7483, 1394096, 0.80, 0.02, 5, "synthetic"),
        new("uschad", "tinyhar", "full", "TinyHAR", 27674, 9255810, 0.82, 0.03, 5, "synthetic"),
        new("uschad", "deepconvlstm", "full", "DeepConvLSTM", 326732, 85859596, 0.78, 0.04, 5, "synthetic"),
        new("uschad", "tinierhar", "no-gru", "TinierHAR w/o GRU", 5000, 1000000, 0.74, 0.02, 5, "synthetic"),
        new("uschad", "tinierhar", "full-F2-M2-H8", "TinierHAR F=2 M=2 H=8", 4000, 700000, 0.75, 0.02, 5, "synthetic"),
        new("uschad", "tinierhar", "full-F2-M2-H16", "TinierHAR F=2 M=2 H=16", 6000, 900000, 0.77, 0.02, 5, "synthetic"),
        new("uschad", "tinierhar", "full-F4-M2-H8", "TinierHAR F=4 M=2 H=8", 9000, 1600000, 0.79, 0.02, 5, "synthetic"),
        new("uschad", "tinyhar", "no-attention", "TinyHAR w/o attention", 25000, 8000000, double.NaN, 0, 0, "synthetic"),
        new("dsads", "tinierhar", "full", "TinierHAR", 37666, 2291252, 0.88, 0.02, 8, "synthetic"),
        new("dsads", "tinyhar", "full", "TinyHAR", 59161, 14554853, 0.90, 0.02, 8, "synthetic"),
        new("dsads", "deepconvlstm", "full", "DeepConvLSTM", 1605587, 131055571, 0.85, 0.03, 8, "synthetic"),
    ];

    public static JsonObject Json(GenericChart chart) => JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();

    public static JsonArray Traces(GenericChart chart) => Json(chart)["data"]!.AsArray();

    public static JsonObject Layout(GenericChart chart) => Json(chart)["layout"]!.AsObject();

    public static double[] Doubles(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<double>()).ToArray();

    public static string[] Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    /// <summary>A fresh empty folder under the temp folder, deleted on dispose.</summary>
    public static TempFolder NewFolder() => new();
}

/// <summary>A fresh empty folder under the temp folder, deleted with its files on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tinierhar-figures-" + Guid.NewGuid().ToString("N")[..12]);

    public TempFolder() => Directory.CreateDirectory(Path);

    public static implicit operator string(TempFolder folder) => folder.Path;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
