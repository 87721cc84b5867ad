using System.Globalization;
using Plotly.NET;

namespace TinierHar.Figures;

/// <summary>
/// Internal building blocks shared by the figure builders: plotly.js traces and layouts are written as plain
/// property bags (<see cref="Trace2D"/> / <see cref="Layout"/> with <c>SetProperty</c>), which maps one to one onto the
/// plotly.js reference, and the model colours that every figure shares.
/// </summary>
internal static class Plot
{
    public const int DefaultWidth = 900;
    public const int DefaultHeight = 500;
    public const string FontFamily = "Arial, Helvetica, sans-serif";
    public const string LightGrey = "#d9d9d9";

    /// <summary>Colours of the three paper models (same in every figure).</summary>
    public const string TinierHarColor = "#1f77b4";
    public const string TinyHarColor = "#ff7f0e";
    public const string DeepConvLstmColor = "#2ca02c";

    /// <summary>Qualitative palette for classes, runs, subjects (Plotly's D3 order, then Set3-like pastels).</summary>
    public static readonly string[] Palette =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
        "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
    ];

    /// <summary>Palette for models other than the three paper models.</summary>
    private static readonly string[] OtherModelColors = ["#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Sequential colour scale from white (0) to dark blue (1) (ColorBrewer Blues; plotly's "Blues" runs the other way).</summary>
    public static readonly object[] WhiteToBlue =
    [
        new object[] { 0.0, "#f7fbff" }, new object[] { 0.25, "#c6dbef" }, new object[] { 0.5, "#6baed6" },
        new object[] { 0.75, "#2171b5" }, new object[] { 1.0, "#08306b" },
    ];

    public static string PaletteColor(int i) => Palette[((i % Palette.Length) + Palette.Length) % Palette.Length];

    /// <summary>Normalised model key: lower case letters and digits only ("TinierHAR" → "tinierhar").</summary>
    public static string ModelKey(string model) =>
        new(model.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>The model's colour, or null for a model that is not one of the paper's three.</summary>
    public static string? KnownModelColor(string modelOrLabel)
    {
        var key = ModelKey(modelOrLabel);
        if (key.StartsWith("tinierhar", StringComparison.Ordinal)) return TinierHarColor;
        if (key.StartsWith("tinyhar", StringComparison.Ordinal)) return TinyHarColor;
        if (key.StartsWith("deepconvlstm", StringComparison.Ordinal)) return DeepConvLstmColor;
        return null;
    }

    /// <summary>The model's colour; other models get a stable colour from their name.</summary>
    public static string ModelColor(string model)
    {
        var known = KnownModelColor(model);
        if (known is not null) return known;
        var h = 0;
        foreach (var c in ModelKey(model)) h = unchecked(h * 31 + c);
        return OtherModelColors[(int)((uint)h % OtherModelColors.Length)];
    }

    /// <summary>Display order of models: TinierHAR, TinyHAR, DeepConvLSTM, then others by name.</summary>
    public static int ModelOrder(string model) => ModelKey(model) switch
    {
        "tinierhar" => 0,
        "tinyhar" => 1,
        "deepconvlstm" => 2,
        _ => 3,
    };

    /// <summary>Display name of a model key.</summary>
    public static string ModelDisplayName(string model) => ModelKey(model) switch
    {
        "tinierhar" => "TinierHAR",
        "tinyhar" => "TinyHAR",
        "deepconvlstm" => "DeepConvLSTM",
        _ => model,
    };

    public static Trace2D Trace(string type, params (string Key, object? Value)[] properties)
    {
        var t = new Trace2D(type);
        foreach (var (k, v) in properties)
            if (v is not null) t.SetProperty(k, v);
        return t;
    }

    public const int DataDigits = 5;

    /// <summary>Each value rounded to <see cref="DataDigits"/> significant digits (non-finite values unchanged): what a plot
    /// of measured signals can show, and it keeps long signals and histograms from swelling the notebooks that embed them.
    /// Not for costs or scores, which figures show exactly.</summary>
    public static double[] Significant(double[] values) =>
        values.Select(v => double.IsFinite(v) ? double.Parse(v.ToString("G" + DataDigits, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : v).ToArray();

    public static Dictionary<string, object?> Obj(params (string Key, object? Value)[] properties)
    {
        var d = new Dictionary<string, object?>();
        foreach (var (k, v) in properties)
            if (v is not null) d[k] = v;
        return d;
    }

    public static Dictionary<string, object?> Title(string text, int size = 18) =>
        Obj(("text", text), ("font", Obj(("size", size))));

    public static Dictionary<string, object?> Axis(string title, params (string Key, object? Value)[] more)
    {
        var d = Obj(("title", Obj(("text", title), ("font", Obj(("size", 15))))), ("automargin", true),
            ("tickfont", Obj(("size", 13))));
        foreach (var (k, v) in more)
            if (v is not null) d[k] = v;
        return d;
    }

    /// <summary>A chart from traces and layout properties, with the default template, fonts and size.</summary>
    public static GenericChart Build(IEnumerable<Trace> traces, params (string Key, object? Value)[] layoutProperties)
    {
        var layout = new Layout();
        layout.SetProperty("font", Obj(("family", FontFamily), ("size", 14)));
        layout.SetProperty("width", DefaultWidth);
        layout.SetProperty("height", DefaultHeight);
        layout.SetProperty("hoverlabel", Obj(("font", Obj(("family", FontFamily), ("size", 13)))));
        foreach (var (k, v) in layoutProperties)
            if (v is not null) layout.SetProperty(k, v);
        var chart = GenericChart.ofTraceObjects(true, traces.ToArray());
        return Chart.withLayout(layout).Invoke(chart);
    }

    /// <summary>A dropdown (plotly.js <c>updatemenus</c>) with one button per group; a button shows only the group's traces.
    /// It sits just above the plot's top right corner: higher up, plotly's mode bar (shown on hover) covered it.</summary>
    /// <param name="groups">Label of each group.</param>
    /// <param name="traceGroup">Group index of every trace in trace order (−1: always visible).</param>
    /// <param name="titles">Figure title to set for each group.</param>
    public static object[] GroupDropdown(IReadOnlyList<string> groups, IReadOnlyList<int> traceGroup, IReadOnlyList<string> titles)
    {
        var buttons = groups.Select((g, gi) => (object)Obj(
            ("label", g),
            ("method", "update"),
            ("args", new object[]
            {
                Obj(("visible", traceGroup.Select(tg => tg < 0 || tg == gi).ToArray())),
                Obj(("title", Title(titles[gi]))),
            }))).ToArray();
        return
        [
            Obj(("type", "dropdown"), ("buttons", buttons), ("active", 0), ("direction", "down"), ("showactive", true),
                ("x", 1.0), ("xanchor", "right"), ("y", 1.02), ("yanchor", "bottom"), ("font", Obj(("size", 13)))),
        ];
    }

    public static string Num(double v, string format = "G4") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Large counts with thousands separators and an SI hint (e.g. "1,234,567 (1.23 M)").</summary>
    public static string Count(long v)
    {
        var s = v.ToString("N0", CultureInfo.InvariantCulture);
        var a = Math.Abs((double)v);
        return a >= 1e9 ? $"{s} ({Num(v / 1e9, "0.##")} G)"
            : a >= 1e6 ? $"{s} ({Num(v / 1e6, "0.##")} M)"
            : a >= 1e3 ? $"{s} ({Num(v / 1e3, "0.##")} k)"
            : s;
    }

    /// <summary>Escapes text for plotly's HTML-like hover and label strings.</summary>
    public static string Esc(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
