using System.Globalization;
using System.Text.RegularExpressions;
using Plotly.NET;
using TinierHar.Analysis;
using TinierHar.Models;
using TinierHar.Training;

namespace TinierHar.Figures;

/// <summary>Cost axis of <see cref="EfficiencyFigures.AccuracyVsCost"/>.</summary>
public enum CostAxis
{
    /// <summary>Multiply-accumulates of one window.</summary>
    Macs,
    /// <summary>Trainable parameters.</summary>
    Parameters,
}

/// <summary>Efficiency-accuracy figures (notebooks 03 and 04): macro F1 against cost, ablation deltas, design space.</summary>
public static partial class EfficiencyFigures
{
    [GeneratedRegex(@"^full-F(\d+)-M(\d+)-H(\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex DesignVariant();

    private static readonly string[] Symbols = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon", "triangle-down", "pentagon"];
    private static readonly string[] SymbolGlyphs = ["●", "■", "◆", "▲", "✚", "✕", "★", "⬢", "▼", "⬟"];

    private static bool IsFull(EfficiencyPoint p) => string.Equals(p.Variant, ModelVariant.Full, StringComparison.OrdinalIgnoreCase);

    /// <summary>(F, M, H) of a TinierHAR design-space point: "full-F{F}-M{M}-H{H}", or "full" = the defaults (4, 4, 16),
    /// which is the sweep's centre point; null for anything else.</summary>
    private static (int F, int M, int H)? DesignCoordinates(EfficiencyPoint p)
    {
        if (!string.Equals(p.Model, ModelCatalog.TinierHar, StringComparison.OrdinalIgnoreCase)) return null;
        if (IsFull(p))
        {
            var d = new ModelSpec(ModelCatalog.TinierHar).Resolve();
            return (d.Filters!.Value, d.Blocks!.Value, d.RecurrentUnits!.Value);
        }
        var m = DesignVariant().Match(p.Variant);
        return m.Success ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>" (preset quick-e2-n2000)" naming the presets of the points, for figure titles.</summary>
    private static string PresetSuffix(IEnumerable<EfficiencyPoint> points)
    {
        var presets = points.Select(p => p.Preset).Where(p => !string.IsNullOrEmpty(p)).Distinct().ToList();
        return presets.Count == 0 ? "" : $" (preset {string.Join(", ", presets)})";
    }

    private static string Hover(EfficiencyPoint p) =>
        $"<b>{Plot.Esc(p.Label)}</b><br>dataset: {Plot.Esc(p.Dataset)}<br>variant: {Plot.Esc(p.Variant)}" +
        $"<br>parameters: {Plot.Count(p.Parameters)}<br>MACs: {Plot.Count(p.Macs)}" +
        $"<br>macro F1: {Metrics.MeanSpread(p.MacroF1, p.MacroF1Std, p.Runs, 4)}" +
        $"<br>runs: {p.Runs}<br>preset: {Plot.Esc(p.Preset)}";

    private static string OmittedNote(int omitted) =>
        omitted == 0 ? "" : $"{omitted} point{(omitted == 1 ? "" : "s")} without macro F1 (not trained yet) omitted";

    private static object Note(string text, double y = -0.2) => Plot.Obj(
        ("text", text), ("xref", "paper"), ("yref", "paper"), ("x", 0.0), ("y", y), ("xanchor", "left"), ("yanchor", "top"),
        ("showarrow", false), ("font", Plot.Obj(("size", 12), ("color", "#555"))));

    /// <summary>
    /// Macro F1 against cost (log x axis), one trace per model per dataset, bubble area ∝ parameters (diameter ∝ √parameters,
    /// 10–40 px over all points), a dashed Pareto-front trace per dataset and, with several datasets, a dropdown that shows
    /// one dataset at a time (the first visible initially).
    /// </summary>
    /// <remarks>
    /// A model's "full" point is a circle; its ablation and design-space variants are in the same trace as diamonds at
    /// 60 % of the size, at least 8 px (the hover names the variant). Points with NaN macro F1 are omitted and counted in a note below
    /// the plot. Trace order: per dataset (input order of first appearance), the models (TinierHAR, TinyHAR, DeepConvLSTM,
    /// others), then the dataset's Pareto front.
    /// </remarks>
    public static GenericChart AccuracyVsCost(IReadOnlyList<EfficiencyPoint> points, CostAxis axis, string title)
    {
        ArgumentNullException.ThrowIfNull(points);
        Func<EfficiencyPoint, double> cost = axis == CostAxis.Macs ? p => p.Macs : p => p.Parameters;
        var valid = points.Where(p => !double.IsNaN(p.MacroF1) && cost(p) > 0).ToList();
        var omittedNaN = points.Count(p => double.IsNaN(p.MacroF1));
        var omittedCost = points.Count(p => !double.IsNaN(p.MacroF1) && !(cost(p) > 0));
        var datasets = valid.Select(p => p.Dataset).Distinct().ToList();

        var sqrtParams = valid.Select(p => Math.Sqrt(Math.Max(0, p.Parameters))).ToList();
        double lo = sqrtParams.Count > 0 ? sqrtParams.Min() : 0, hi = sqrtParams.Count > 0 ? sqrtParams.Max() : 1;
        double Size(EfficiencyPoint p)
        {
            var s = hi > lo ? 10 + 30 * (Math.Sqrt(Math.Max(0, p.Parameters)) - lo) / (hi - lo) : 20;
            return Math.Round(IsFull(p) ? s : Math.Max(8, 0.6 * s), 1);
        }

        var traces = new List<Trace>();
        var traceGroup = new List<int>();
        for (var di = 0; di < datasets.Count; di++)
        {
            var ds = datasets[di];
            var onDataset = valid.Where(p => p.Dataset == ds).ToList();
            foreach (var model in onDataset.Select(p => p.Model).Distinct()
                         .OrderBy(Plot.ModelOrder).ThenBy(m => m, StringComparer.Ordinal))
            {
                var pts = onDataset.Where(p => p.Model == model).OrderBy(p => IsFull(p) ? 0 : 1).ThenBy(cost).ToList();
                var color = Plot.ModelColor(model);
                traces.Add(Plot.Trace("scatter",
                    ("name", Plot.ModelDisplayName(model)),
                    ("legendgroup", Plot.ModelKey(model)),
                    ("mode", "markers"),
                    ("x", pts.Select(cost).ToArray()),
                    ("y", pts.Select(p => p.MacroF1).ToArray()),
                    ("text", pts.Select(Hover).ToArray()),
                    ("hovertemplate", "%{text}<extra></extra>"),
                    ("marker", Plot.Obj(
                        ("color", color),
                        ("size", pts.Select(Size).ToArray()),
                        ("sizemode", "diameter"),
                        ("symbol", pts.Select(p => IsFull(p) ? "circle" : "diamond").ToArray()),
                        ("opacity", 0.8),
                        ("line", Plot.Obj(("color", "#ffffff"), ("width", 1))))),
                    ("visible", di == 0)));
                traceGroup.Add(di);
            }
            var front = Pareto.Front(onDataset, cost);
            traces.Add(Plot.Trace("scatter",
                ("name", "Pareto front"),
                ("legendgroup", "pareto"),
                ("mode", "lines"),
                ("x", front.Select(cost).ToArray()),
                ("y", front.Select(p => p.MacroF1).ToArray()),
                ("text", front.Select(p => $"Pareto front ({Plot.Esc(ds)})<br>" + Hover(p)).ToArray()),
                ("hovertemplate", "%{text}<extra></extra>"),
                ("line", Plot.Obj(("color", "#444444"), ("dash", "dash"), ("width", 1.5))),
                ("visible", di == 0)));
            traceGroup.Add(di);
        }

        var costTitle = axis == CostAxis.Macs ? "MACs per window (log scale)" : "Trainable parameters (log scale)";
        var titles = datasets.Select(d => datasets.Count > 1 ? $"{title} — {d}" : title).ToList();
        var notes = new List<object>();
        var noteText = string.Join("; ", new[]
        {
            OmittedNote(omittedNaN),
            omittedCost == 0 ? "" : $"{omittedCost} point{(omittedCost == 1 ? "" : "s")} with zero cost omitted (log axis)",
            "circle: full model, diamond: variant; marker diameter ∝ √parameters",
        }.Where(s => s.Length > 0));
        notes.Add(Note(noteText));
        if (valid.Count == 0)
            notes.Add(Plot.Obj(("text", "no trained points to show"), ("xref", "paper"), ("yref", "paper"), ("x", 0.5), ("y", 0.5),
                ("showarrow", false), ("font", Plot.Obj(("size", 16)))));

        return Plot.Build(traces,
            ("title", Plot.Title(titles.Count > 0 ? titles[0] : title)),
            ("xaxis", Plot.Axis(costTitle, ("type", "log"))),
            ("yaxis", Plot.Axis("Macro F1")),
            ("legend", Plot.Obj(("title", Plot.Obj(("text", "Model"))), ("itemsizing", "constant"))),
            ("margin", Plot.Obj(("b", 110), ("t", 90))),
            ("annotations", notes.ToArray()),
            ("updatemenus", datasets.Count > 1 ? Plot.GroupDropdown(datasets, traceGroup, titles) : null));
    }

    /// <summary>
    /// Ablation deltas, the same numbers as the results table (<see cref="StudyResults.Ablations"/>): for every dataset and
    /// model, each ablation variant's macro F1 minus its full model's, paired over the folds both finished (y: the mean
    /// difference, error bar: ± the std of the per-fold differences), against the MAC change in % (x), labelled by the
    /// component removed, one trace per model, one marker symbol per dataset; the hover adds the 95 % interval.
    /// </summary>
    public static GenericChart AblationDeltas(IReadOnlyList<AblationDelta> deltas)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        var traces = new List<Trace>();
        var datasets = deltas.Select(d => d.Dataset).Distinct().ToList();
        static double Err(AblationDelta d) => double.IsNaN(d.Std) ? 0 : d.Std;
        // Both axes include 0 (the full model) with room around the points; a label sits beside its point, on the side
        // away from the nearer edge, so neither the error bar nor the plot's border cuts through it.
        var shown = deltas.Where(d => d.Pairs > 0).ToList();
        var (x0, x1) = (Math.Min(0, shown.Select(d => d.MacsChangePercent).DefaultIfEmpty(0).Min()), Math.Max(0, shown.Select(d => d.MacsChangePercent).DefaultIfEmpty(0).Max()));
        var (y0, y1) = (Math.Min(0, shown.Select(d => d.DeltaF1 - Err(d)).DefaultIfEmpty(0).Min()), Math.Max(0, shown.Select(d => d.DeltaF1 + Err(d)).DefaultIfEmpty(0).Max()));
        var (xs, ys) = (Math.Max(x1 - x0, 10), Math.Max(y1 - y0, 0.05));
        foreach (var model in deltas.Select(d => d.Model).Distinct().OrderBy(Plot.ModelOrder).ThenBy(m => m, StringComparer.Ordinal))
        {
            var rows = deltas.Where(d => d.Model == model && d.Pairs > 0).ToList();
            if (rows.Count == 0) continue;
            var display = Plot.ModelDisplayName(model);
            string Short(AblationDelta d) => d.Variant.StartsWith(display + " ", StringComparison.Ordinal) ? d.Variant[(display.Length + 1)..] : d.Variant;
            string Hover(AblationDelta d) =>
                $"<b>{Plot.Esc(d.Variant)}</b> vs {Plot.Esc(display)}<br>dataset: {Plot.Esc(d.Dataset)}" +
                $"<br>macro F1 change: {Metrics.MeanSpread(d.DeltaF1, d.Std, d.Pairs, 4)} over {d.Pairs} paired fold(s)" +
                (double.IsNaN(d.Low) ? "" : $"<br>95 % CI [{Plot.Num(d.Low, "+0.0000;-0.0000")}, {Plot.Num(d.High, "+0.0000;-0.0000")}]") +
                $"<br>MACs {Plot.Num(d.MacsChangePercent, "+0.0;-0.0;0")} %, parameters {Plot.Num(d.ParametersChangePercent, "+0.0;-0.0;0")} %";
            traces.Add(Plot.Trace("scatter",
                ("name", display),
                ("mode", "markers+text"),
                ("x", rows.Select(d => d.MacsChangePercent).ToArray()),
                ("y", rows.Select(d => d.DeltaF1).ToArray()),
                ("error_y", Plot.Obj(("type", "data"), ("array", rows.Select(Err).ToArray()), ("visible", true),
                    ("color", Plot.ModelColor(model)), ("thickness", 1.2), ("width", 4))),
                ("text", rows.Select(d => Plot.Esc(Short(d))).ToArray()),
                ("textposition", rows.Select(d => d.MacsChangePercent > (x0 + x1) / 2 ? "middle left" : "middle right").ToArray()),
                ("textfont", Plot.Obj(("size", 11), ("color", Plot.ModelColor(model)))),
                ("hovertext", rows.Select(Hover).ToArray()),
                ("hovertemplate", "%{hovertext}<extra></extra>"),
                ("marker", Plot.Obj(("color", Plot.ModelColor(model)), ("size", 11),
                    ("symbol", rows.Select(d => Symbols[datasets.IndexOf(d.Dataset) % Symbols.Length]).ToArray()),
                    ("line", Plot.Obj(("color", "#ffffff"), ("width", 1)))))));
        }
        var note = "y: mean of the per-fold differences from the full model (paired folds), error bar ± their std; " +
            (datasets.Count > 1
                ? "symbol = dataset: " + string.Join(", ", datasets.Select((d, i) => $"{SymbolGlyphs[i % SymbolGlyphs.Length]} {Plot.Esc(d)}"))
                : datasets.Count == 1 ? $"dataset: {Plot.Esc(datasets[0])}" : "no ablation fold yet");
        return Plot.Build(traces,
            ("title", Plot.Title("Ablations: paired change against the full model")),
            ("xaxis", Plot.Axis("MAC change vs. full model (%)", ("zeroline", true), ("zerolinecolor", "#888"), ("zerolinewidth", 1.5),
                ("range", new[] { x0 - 0.08 * xs, x1 + 0.08 * xs }))),
            ("yaxis", Plot.Axis("Macro F1 change vs. full model", ("zeroline", true), ("zerolinecolor", "#888"), ("zerolinewidth", 1.5),
                ("range", new[] { y0 - 0.08 * ys, y1 + 0.08 * ys }))),
            ("showlegend", true),
            ("legend", Plot.Obj(("title", Plot.Obj(("text", "Model"))))),
            ("margin", Plot.Obj(("b", 100))),
            ("annotations", new[] { Note(note, -0.18) }));
    }

    /// <summary>
    /// TinierHAR design-space sweep: macro F1 against MACs (log x) of the variants "full-F{F}-M{M}-H{H}", labelled
    /// "F=2 M=2 H=8", marker colour by H (colour bar), a grey line through the points of the same (F, M) in MAC order.
    /// With several datasets a dropdown shows one dataset at a time.
    /// </summary>
    public static GenericChart DesignSpace(IReadOnlyList<EfficiencyPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var parsed = points
            .Select(p => (P: p, C: DesignCoordinates(p)))
            .Where(x => x.C is not null)
            .Select(x => (x.P, F: x.C!.Value.F, Mm: x.C.Value.M, H: x.C.Value.H))
            .ToList();
        var omitted = parsed.Count(x => double.IsNaN(x.P.MacroF1));
        parsed = parsed.Where(x => !double.IsNaN(x.P.MacroF1) && x.P.Macs > 0).ToList();
        var datasets = parsed.Select(x => x.P.Dataset).Distinct().ToList();
        var hs = parsed.Select(x => x.H).ToList();
        double hMin = hs.Count > 0 ? hs.Min() : 0, hMax = hs.Count > 0 ? hs.Max() : 1;
        if (hMax <= hMin) hMax = hMin + 1;

        var traces = new List<Trace>();
        var traceGroup = new List<int>();
        for (var di = 0; di < datasets.Count; di++)
        {
            var first = true;
            foreach (var g in parsed.Where(x => x.P.Dataset == datasets[di]).GroupBy(x => (x.F, x.Mm)).OrderBy(g => g.Key.F).ThenBy(g => g.Key.Mm))
            {
                var pts = g.OrderBy(x => x.P.Macs).ThenBy(x => x.H).ToList();
                traces.Add(Plot.Trace("scatter",
                    ("name", $"F={g.Key.F} M={g.Key.Mm}"),
                    ("mode", "lines+markers+text"),
                    ("x", pts.Select(x => (double)x.P.Macs).ToArray()),
                    ("y", pts.Select(x => x.P.MacroF1).ToArray()),
                    ("text", pts.Select(x => $"F={x.F} M={x.Mm} H={x.H}").ToArray()),
                    ("textposition", "top center"),
                    ("textfont", Plot.Obj(("size", 10), ("color", "#333"))),
                    ("hovertext", pts.Select(x => Hover(x.P)).ToArray()),
                    ("hovertemplate", "%{hovertext}<extra></extra>"),
                    ("line", Plot.Obj(("color", "#9e9e9e"), ("width", 1.2))),
                    ("marker", Plot.Obj(
                        ("color", pts.Select(x => (double)x.H).ToArray()),
                        ("cmin", hMin), ("cmax", hMax),
                        ("colorscale", "Viridis"),
                        ("showscale", first),
                        ("colorbar", first ? Plot.Obj(("title", Plot.Obj(("text", "H")))) : null),
                        ("size", 12),
                        ("line", Plot.Obj(("color", "#ffffff"), ("width", 1))))),
                    ("showlegend", false),
                    ("visible", di == 0)));
                traceGroup.Add(di);
                first = false;
            }
        }
        var baseTitle = "TinierHAR design space" + PresetSuffix(parsed.Select(x => x.P));
        var titles = datasets.Select(d => $"{baseTitle} — {d}").ToList();
        var notes = new List<object> { Note("grey lines join the same (F, M); colour = H" + (omitted > 0 ? "; " + OmittedNote(omitted) : "")) };
        return Plot.Build(traces,
            ("title", Plot.Title(titles.Count > 0 ? titles[0] : baseTitle)),
            ("xaxis", Plot.Axis("MACs per window (log scale)", ("type", "log"))),
            ("yaxis", Plot.Axis("Macro F1")),
            ("margin", Plot.Obj(("b", 100), ("t", 90))),
            ("annotations", notes.ToArray()),
            ("updatemenus", datasets.Count > 1 ? Plot.GroupDropdown(datasets, traceGroup, titles) : null));
    }
}
