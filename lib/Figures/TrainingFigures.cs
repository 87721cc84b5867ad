using Plotly.NET;
using TinierHar.Training;

namespace TinierHar.Figures;

/// <summary>Training figures (notebook 03): learning curves and confusion matrices.</summary>
public static class TrainingFigures
{
    /// <summary>
    /// Two subplots per epoch: left training (solid) and validation (dashed) loss, right validation macro F1; one colour per
    /// run label (the model colour when every label names a different paper model), legend groups toggle a run in both.
    /// </summary>
    /// <param name="runs">One (label, epoch log) per run.</param>
    /// <param name="title">Figure title (default "Learning curves"); name the dataset, fold and preset there.</param>
    public static GenericChart LearningCurves(IReadOnlyList<(string Label, IReadOnlyList<EpochLog> Epochs)> runs, string title = "Learning curves")
    {
        ArgumentNullException.ThrowIfNull(runs);
        var modelColors = runs.Select(r => Plot.KnownModelColor(r.Label)).ToList();
        var useModelColors = modelColors.All(c => c is not null) && modelColors.Distinct().Count() == modelColors.Count;
        var traces = new List<Trace>();
        for (var i = 0; i < runs.Count; i++)
        {
            var (label, epochs) = runs[i];
            var color = useModelColors ? modelColors[i]! : Plot.PaletteColor(i);
            var x = epochs.Select(e => e.Epoch).ToArray();
            var name = Plot.Esc(label);
            traces.Add(Plot.Trace("scatter", ("name", name), ("legendgroup", $"run{i}"), ("mode", "lines+markers"),
                ("x", x), ("y", epochs.Select(e => e.TrainLoss).ToArray()), ("xaxis", "x"), ("yaxis", "y"),
                ("line", Plot.Obj(("color", color), ("width", 2))), ("marker", Plot.Obj(("size", 4))),
                ("hovertemplate", $"{name}<br>epoch %{{x}}<br>training loss %{{y:.4f}}<extra></extra>")));
            traces.Add(Plot.Trace("scatter", ("name", name + " (validation)"), ("legendgroup", $"run{i}"), ("showlegend", false),
                ("mode", "lines+markers"), ("x", x), ("y", epochs.Select(e => e.ValidationLoss).ToArray()), ("xaxis", "x"), ("yaxis", "y"),
                ("line", Plot.Obj(("color", color), ("width", 2), ("dash", "dash"))), ("marker", Plot.Obj(("size", 4))),
                ("hovertemplate", $"{name}<br>epoch %{{x}}<br>validation loss %{{y:.4f}}<extra></extra>")));
            traces.Add(Plot.Trace("scatter", ("name", name + " (validation F1)"), ("legendgroup", $"run{i}"), ("showlegend", false),
                ("mode", "lines+markers"), ("x", x), ("y", epochs.Select(e => e.ValidationMacroF1).ToArray()), ("xaxis", "x2"), ("yaxis", "y2"),
                ("line", Plot.Obj(("color", color), ("width", 2))), ("marker", Plot.Obj(("size", 4))),
                ("hovertemplate", $"{name}<br>epoch %{{x}}<br>validation macro F1 %{{y:.4f}}<extra></extra>")));
        }
        // Whole epochs only: about ten ticks at most (1, 2, ... for short runs; 1, 16, 31, ... for 150 epochs).
        var maxEpoch = runs.SelectMany(r => r.Epochs).Select(e => e.Epoch).DefaultIfEmpty(1).Max();
        var epochStep = Math.Max(1, (int)Math.Ceiling(maxEpoch / 10.0));
        object Sub(string text, double x) => Plot.Obj(("text", text), ("xref", "paper"), ("yref", "paper"), ("x", x), ("y", 1.0),
            ("xanchor", "center"), ("yanchor", "bottom"), ("showarrow", false), ("font", Plot.Obj(("size", 14))));
        return Plot.Build(traces,
            ("title", Plot.Title(title)),
            ("xaxis", Plot.Axis("Epoch", ("domain", new[] { 0.0, 0.45 }), ("anchor", "y"), ("tick0", 1), ("dtick", epochStep))),
            ("yaxis", Plot.Axis("Cross-entropy loss", ("anchor", "x"))),
            ("xaxis2", Plot.Axis("Epoch", ("domain", new[] { 0.55, 1.0 }), ("anchor", "y2"), ("tick0", 1), ("dtick", epochStep))),
            ("yaxis2", Plot.Axis("Validation macro F1", ("anchor", "x2"))),
            ("legend", Plot.Obj(("title", Plot.Obj(("text", "Run"))))),
            ("margin", Plot.Obj(("t", 100))),
            ("annotations", new[] { Sub("Loss (solid: training, dashed: validation)", 0.225), Sub("Validation macro F1", 0.775) }));
    }

    /// <summary>
    /// Confusion matrix heatmap: colour = recall (row-normalised), text = counts; rows true class (top to bottom), columns
    /// predicted class. Rows without samples are blank.
    /// </summary>
    /// <remarks>The chart's own size grows with the classes (inline display); <see cref="FigureStore.Save"/> uses the size it
    /// is given, so save matrices of many classes larger (e.g. 900 × 800).</remarks>
    /// <param name="matrix">Counts indexed [true, predicted].</param>
    /// <param name="classes">Class names in class-index order.</param>
    /// <param name="title">Figure title.</param>
    public static GenericChart Confusion(int[,] matrix, IReadOnlyList<string> classes, string title)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(classes);
        var k = classes.Count;
        if (matrix.GetLength(0) != k || matrix.GetLength(1) != k)
            throw new ArgumentException($"matrix is {matrix.GetLength(0)}×{matrix.GetLength(1)} but there are {k} classes", nameof(matrix));
        var z = new double?[k][];
        var text = new string[k][];
        for (var t = 0; t < k; t++)
        {
            var total = 0L;
            for (var p = 0; p < k; p++) total += matrix[t, p];
            z[t] = new double?[k];
            text[t] = new string[k];
            for (var p = 0; p < k; p++)
            {
                z[t][p] = total > 0 ? (double)matrix[t, p] / total : null;
                text[t][p] = matrix[t, p].ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        var labels = classes.Select(Plot.Esc).ToArray();
        var heat = Plot.Trace("heatmap",
            ("x", labels), ("y", labels), ("z", z), ("text", text),
            ("texttemplate", "%{text}"),
            ("textfont", Plot.Obj(("size", k > 15 ? 9 : k > 8 ? 11 : 13))),
            ("zmin", 0.0), ("zmax", 1.0),
            ("colorscale", Plot.WhiteToBlue),
            ("colorbar", Plot.Obj(("title", Plot.Obj(("text", "recall"))))),
            ("xgap", 1), ("ygap", 1),
            ("hovertemplate", "true: %{y}<br>predicted: %{x}<br>count: %{text}<br>share of the true class: %{z:.3f}<extra></extra>"));
        var side = Math.Max(Plot.DefaultHeight, 28 * k + 200);
        return Plot.Build([heat],
            ("title", Plot.Title(title)),
            ("xaxis", Plot.Axis("predicted", ("type", "category"), ("tickangle", k > 6 ? -45 : 0), ("constrain", "domain"))),
            ("yaxis", Plot.Axis("true", ("type", "category"), ("autorange", "reversed"), ("scaleanchor", "x"), ("constrain", "domain"))),
            ("width", side + 150), ("height", side));
    }
}
