using System.Globalization;
using Plotly.NET;
using TinierHar.Efficiency;
using TinierHar.Export;

namespace TinierHar.Figures;

/// <summary>Edge-deployment figures (notebook 05): what the exported models occupy on a microcontroller, and their latency.</summary>
public static class EdgeFigures
{
    const string Int8Color = "#9467bd";

    static string Color(FootprintRow r) => r.Int8 ? Int8Color : Plot.ModelColor(r.Model);

    /// <summary>
    /// Two panels over the datasets (x, in input order of first appearance): the exported C's constant weights (flash,
    /// left) and static activation buffers (RAM, right) in bytes on log axes, one line per configuration (model and
    /// float32/int8: <see cref="EdgeDeployment.Configuration"/>), and <paramref name="budget"/>'s flash and RAM as dashed
    /// red lines. A point above its line does not fit.
    /// </summary>
    public static GenericChart Footprint(IReadOnlyList<FootprintRow> rows, McuBudget budget, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(budget);
        var datasets = rows.Select(r => r.Dataset).Distinct().ToList();
        var traces = new List<Trace>();
        foreach (var g in rows.GroupBy(EdgeDeployment.Configuration))
        {
            var first = g.First();
            var byDataset = datasets.Select(d => g.FirstOrDefault(r => r.Dataset == d)).ToList();
            foreach (var (axis, flash) in new[] { ("", true), ("2", false) })
                traces.Add(Plot.Trace("scatter",
                    ("name", g.Key),
                    ("legendgroup", g.Key),
                    ("showlegend", flash),
                    ("mode", "lines+markers"),
                    ("x", datasets.ToArray()),
                    ("y", byDataset.Select(r => r is null ? (object?)null : flash ? r.WeightBytes : r.ActivationBytes).ToArray()),
                    ("xaxis", "x" + axis), ("yaxis", "y" + axis),
                    ("line", Plot.Obj(("color", Color(first)), ("width", 2), ("dash", first.Int8 ? "dot" : "solid"))),
                    ("marker", Plot.Obj(("color", Color(first)), ("size", 7), ("symbol", first.Int8 ? "diamond" : "circle"))),
                    ("hovertext", byDataset.Select(r => r is null ? "" : Hover(r, budget)).ToArray()),
                    ("hovertemplate", "%{hovertext}<extra></extra>")));
        }
        foreach (var (axis, bytes, label) in new[] { ("", budget.FlashBytes, "flash"), ("2", budget.RamBytes, "SRAM") })
            traces.Add(Plot.Trace("scatter",
                ("name", $"MCU budget ({budget.Name})"),
                ("legendgroup", "budget"),
                ("showlegend", axis == ""),
                ("mode", "lines"),
                ("x", datasets.ToArray()),
                ("y", datasets.Select(_ => (double)bytes).ToArray()),
                ("xaxis", "x" + axis), ("yaxis", "y" + axis),
                ("line", Plot.Obj(("color", "#d62728"), ("width", 2), ("dash", "dash"))),
                ("hovertemplate", $"{label} budget: {EdgeDeployment.Kb(bytes)}<extra></extra>")));
        var all = rows.SelectMany(r => new[] { r.WeightBytes, r.ActivationBytes }).Append(budget.FlashBytes).Append(budget.RamBytes).Where(v => v > 0).ToList();
        var range = new[] { Math.Floor(Math.Log10(all.Min())), Math.Ceiling(Math.Log10(all.Max())) };
        return Plot.Build(traces,
            ("title", Plot.Title(title ?? $"Exported C footprint per dataset window against a {budget.Name} MCU")),
            ("xaxis", Plot.Axis("Dataset", ("domain", new[] { 0.0, 0.47 }), ("tickangle", -45))),
            ("yaxis", Plot.Axis("Weights (flash), bytes", ("type", "log"), ("range", range))),
            ("xaxis2", Plot.Axis("Dataset", ("domain", new[] { 0.53, 1.0 }), ("tickangle", -45), ("anchor", "y2"))),
            ("yaxis2", Plot.Axis("Activations (RAM), bytes", ("type", "log"), ("range", range), ("anchor", "x2"))),
            ("legend", Plot.Obj(("orientation", "h"), ("x", 0.0), ("y", -0.35), ("yanchor", "top"))),
            ("margin", Plot.Obj(("b", 170), ("t", 70))));
    }

    static string Hover(FootprintRow r, McuBudget budget) =>
        $"<b>{Plot.Esc(EdgeDeployment.Configuration(r))}</b><br>dataset: {Plot.Esc(r.Dataset)} ({r.Shape.Window}×{r.Shape.Channels}, {r.Shape.Classes} classes)" +
        $"<br>parameters: {Plot.Count(r.Params)}<br>MACs: {Plot.Count(r.Macs)}" +
        $"<br>weights: {Plot.Count(r.WeightBytes)} B<br>activations: {Plot.Count(r.ActivationBytes)} B" +
        $"<br>fits {Plot.Esc(budget.Name)}: {(r.Fits(budget) ? "yes" : "no")}";

    /// <summary>
    /// Batch-1 latency (log y, microseconds), grouped bars: one group per (dataset window, model), TorchSharp and the
    /// exported C side by side (grey, dark grey), each bar labelled with its value; the dotted red line (a trace, in the legend) is the paper's
    /// <see cref="EdgeDeployment.LatencyGoalMicroseconds"/> goal for TinierHAR.
    /// </summary>
    public static GenericChart Latency(IReadOnlyList<LatencyRow> rows, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var x = rows.Select(r => $"{Plot.ModelDisplayName(r.Model)}<br>{r.Dataset} {r.Window}×{r.Channels}").ToArray();
        string Label(double us) => us.ToString(us < 100 ? "0.0" : "0", CultureInfo.InvariantCulture);
        var traces = new List<Trace>
        {
            Plot.Trace("bar", ("name", "TorchSharp (eval, 1 thread)"), ("x", x), ("y", rows.Select(r => r.TorchSharpMicroseconds).ToArray()),
                ("text", rows.Select(r => Label(r.TorchSharpMicroseconds)).ToArray()), ("textposition", "outside"),
                ("marker", Plot.Obj(("color", "#b0b0b0"))), ("hovertemplate", "%{x}<br>TorchSharp: %{y:.1f} µs<extra></extra>")),
            Plot.Trace("bar", ("name", "exported C (gcc -O3)"), ("x", x), ("y", rows.Select(r => r.CMicroseconds).ToArray()),
                ("text", rows.Select(r => Label(r.CMicroseconds)).ToArray()), ("textposition", "outside"),
                ("marker", Plot.Obj(("color", "#3b3b3b"))),
                ("hovertemplate", "%{x}<br>C: %{y:.1f} µs<extra></extra>")),
            Plot.Trace("scatter", ("name", $"paper's goal for TinierHAR: {EdgeDeployment.LatencyGoalMicroseconds:0} µs"), ("mode", "lines"), ("x", x),
                ("y", x.Select(_ => EdgeDeployment.LatencyGoalMicroseconds).ToArray()),
                ("line", Plot.Obj(("color", "#d62728"), ("width", 1.5), ("dash", "dot"))), ("hoverinfo", "skip")),
        };
        var values = rows.SelectMany(r => new[] { r.TorchSharpMicroseconds, r.CMicroseconds }).Where(v => v > 0)
            .Append(EdgeDeployment.LatencyGoalMicroseconds).ToList();
        var range = new[] { Math.Log10(values.Min()) - 0.3, Math.Log10(values.Max()) + 0.3 }; // room for the goal line and the labels
        return Plot.Build(traces,
            ("title", Plot.Title(title ?? "Batch-1 latency per window on this CPU: TorchSharp against the exported C")),
            ("barmode", "group"),
            ("xaxis", Plot.Axis("")),
            ("yaxis", Plot.Axis("Microseconds per window (log)", ("type", "log"), ("range", range))),
            ("legend", Plot.Obj(("orientation", "h"), ("x", 0.0), ("y", 1.02), ("yanchor", "bottom"))),
            ("margin", Plot.Obj(("t", 110), ("b", 90))));
    }
}
