using Plotly.NET;
using TinierHar.Data;

namespace TinierHar.Figures;

/// <summary>Figures of the data and the protocol (notebook 01/02): raw signals, class balance, fold layout, normalisation.</summary>
public static class DataFigures
{
    /// <summary>
    /// Selected channels of one recording against time in seconds, with the activity segments as coloured background
    /// bands (one colour per class index, dropped or unknown raw labels light grey) named by annotations on wide segments
    /// and by legend entries.
    /// </summary>
    /// <param name="info">The dataset (channel names, sampling rate, label map).</param>
    /// <param name="recording">The recording; <see cref="Recording.Labels"/> are raw ids.</param>
    /// <param name="channels">Channel indices to draw.</param>
    /// <param name="start">First sample.</param>
    /// <param name="length">Number of samples (cut at the end of the recording).</param>
    public static GenericChart Signals(DatasetInfo info, Recording recording, IReadOnlyList<int> channels, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentNullException.ThrowIfNull(channels);
        if (start < 0 || start >= recording.Length)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"start must be in [0, {recording.Length}) for recording {recording.Block}");
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        foreach (var c in channels)
            if (c < 0 || c >= recording.Channels)
                throw new ArgumentOutOfRangeException(nameof(channels), c, $"channel must be in [0, {recording.Channels}) ({info.Key} has {recording.Channels} channels)");
        var end = Math.Min(recording.Length, start + length);
        var hz = info.SamplingHz;
        var time = Enumerable.Range(start, end - start).Select(i => i / hz).ToArray();

        var traces = new List<Trace>();
        for (var k = 0; k < channels.Count; k++)
        {
            var ch = channels[k];
            var name = ch < info.ChannelNames.Count ? info.ChannelNames[ch] : $"channel {ch}";
            traces.Add(Plot.Trace("scatter",
                ("name", name),
                ("mode", "lines"),
                ("x", time),
                ("y", Plot.Significant(Enumerable.Range(start, end - start).Select(i => (double)recording.Samples[i * recording.Channels + ch]).ToArray())),
                ("line", Plot.Obj(("width", 1.2), ("color", Plot.PaletteColor(k)))),
                ("hovertemplate", $"{Plot.Esc(name)}: %{{y:.4g}}<br>t = %{{x:.2f}} s<extra></extra>")));
        }

        // Activity segments: runs of equal raw label.
        var classRawIds = info.ClassRawIds;
        var names = info.LabelMap.GroupBy(e => e.RawId).ToDictionary(g => g.Key, g => g.First().Name);
        string ColorOf(int raw)
        {
            var ci = IndexOf(classRawIds, raw);
            return ci < 0 ? Plot.LightGrey : ClassColor(ci);
        }
        string NameOf(int raw)
        {
            var known = names.TryGetValue(raw, out var n);
            var dropped = info.DroppedRawIds.Contains(raw);
            return !known ? $"unknown label {raw}" : dropped ? $"{n} (dropped)" : n!;
        }
        var shapes = new List<object>();
        var annotations = new List<object>();
        var seen = new List<int>();
        var span = (end - start) / hz;
        for (var i = start; i < end;)
        {
            var raw = recording.Labels[i];
            var j = i;
            while (j < end && recording.Labels[j] == raw) j++;
            double x0 = i / hz, x1 = j / hz; // the segment covers samples i..j-1: up to the next segment's start
            shapes.Add(Plot.Obj(("type", "rect"), ("xref", "x"), ("yref", "paper"), ("x0", x0), ("x1", Math.Min(x1, (end - 1) / hz)),
                ("y0", 0), ("y1", 1), ("fillcolor", ColorOf(raw)), ("opacity", 0.25), ("layer", "below"), ("line", Plot.Obj(("width", 0)))));
            if (x1 - x0 >= 0.08 * span)
                annotations.Add(Plot.Obj(("text", Plot.Esc(NameOf(raw))), ("x", (x0 + Math.Min(x1, (end - 1) / hz)) / 2), ("xref", "x"),
                    ("y", 1.0), ("yref", "paper"), ("yanchor", "bottom"), ("showarrow", false), ("font", Plot.Obj(("size", 11)))));
            if (!seen.Contains(raw)) seen.Add(raw);
            i = j;
        }
        // Legend entries for the activities (no data: they only name the band colours).
        foreach (var raw in seen)
            traces.Add(Plot.Trace("scatter",
                ("name", Plot.Esc(NameOf(raw))),
                ("legendgroup", "activities"),
                ("legendgrouptitle", Plot.Obj(("text", "Activity"))),
                ("mode", "markers"),
                ("x", new double?[] { null }),
                ("y", new double?[] { null }),
                ("marker", Plot.Obj(("symbol", "square"), ("size", 12), ("color", ColorOf(raw)), ("opacity", 0.5))),
                ("hoverinfo", "skip")));

        return Plot.Build(traces,
            ("title", Plot.Title($"{info.Name}: subject {recording.Subject}, {recording.Block}")),
            ("xaxis", Plot.Axis("Time (s)")),
            ("yaxis", Plot.Axis("Signal (sensor units)")),
            ("hovermode", "x unified"),
            ("shapes", shapes.ToArray()),
            ("annotations", annotations.ToArray()),
            ("margin", Plot.Obj(("t", 90))));
    }

    /// <summary>
    /// Windows per class and subject: a stacked bar chart with one trace per subject; with more than 20 subjects a
    /// heatmap classes × subjects (colour and text = windows) instead.
    /// </summary>
    /// <param name="classes">Class names (rows of <paramref name="counts"/>).</param>
    /// <param name="subjects">Subject labels (columns of <paramref name="counts"/>).</param>
    /// <param name="counts">Windows, indexed [class, subject].</param>
    /// <param name="title">Figure title.</param>
    public static GenericChart WindowsPerClass(IReadOnlyList<string> classes, IReadOnlyList<string> subjects, int[,] counts, string title)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.GetLength(0) != classes.Count || counts.GetLength(1) != subjects.Count)
            throw new ArgumentException($"counts is {counts.GetLength(0)}×{counts.GetLength(1)} but there are {classes.Count} classes and {subjects.Count} subjects", nameof(counts));
        var totals = Enumerable.Range(0, classes.Count).Select(c => Enumerable.Range(0, subjects.Count).Sum(s => counts[c, s])).ToArray();
        var xLabels = classes.Select(Plot.Esc).ToArray();
        if (subjects.Count > 20)
        {
            var z = Enumerable.Range(0, classes.Count).Select(c => Enumerable.Range(0, subjects.Count).Select(s => counts[c, s]).ToArray()).ToArray();
            var heat = Plot.Trace("heatmap",
                ("x", subjects.Select(Plot.Esc).ToArray()),
                ("y", xLabels),
                ("z", z),
                ("colorscale", Plot.WhiteToBlue),
                ("colorbar", Plot.Obj(("title", Plot.Obj(("text", "windows"))))),
                ("hovertemplate", "class: %{y}<br>subject: %{x}<br>windows: %{z}<extra></extra>"));
            return Plot.Build([heat],
                ("title", Plot.Title(title)),
                ("xaxis", Plot.Axis("Subject", ("type", "category"))),
                ("yaxis", Plot.Axis("Activity", ("type", "category"), ("autorange", "reversed"))),
                ("height", Math.Max(Plot.DefaultHeight, 22 * classes.Count + 150)));
        }
        var traces = subjects.Select((s, si) => (Trace)Plot.Trace("bar",
            ("name", Plot.Esc(s)),
            ("x", xLabels),
            ("y", Enumerable.Range(0, classes.Count).Select(c => counts[c, si]).ToArray()),
            ("marker", Plot.Obj(("color", Plot.PaletteColor(si)))),
            ("hovertemplate", $"subject {Plot.Esc(s)}<br>%{{x}}: %{{y}} windows<extra></extra>"))).ToList();
        return Plot.Build(traces,
            ("title", Plot.Title(title)),
            ("barmode", "stack"),
            ("xaxis", Plot.Axis("Activity", ("type", "category"), ("tickangle", classes.Count > 8 ? -40 : 0))),
            ("yaxis", Plot.Axis("Windows")),
            ("legend", Plot.Obj(("title", Plot.Obj(("text", "Subject"))))),
            ("annotations", xLabels.Select((x, c) => (object)Plot.Obj(("x", x), ("y", totals[c]), ("text", totals[c].ToString()),
                ("showarrow", false), ("yanchor", "bottom"), ("font", Plot.Obj(("size", 10), ("color", "#555"))))).ToArray()));
    }

    /// <summary>
    /// Cross-validation layout: heatmap of folds × subjects, each cell test (red), train incl. validation (blue) or
    /// absent (light grey), with a colour bar naming the three; skipped folds are marked in the row label.
    /// </summary>
    public static GenericChart FoldLayout(IReadOnlyList<FoldSpec> folds, IReadOnlyList<int> subjects)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(subjects);
        string[] status = ["absent", "train", "test"];
        var z = new int[folds.Count][];
        var text = new string[folds.Count][];
        for (var f = 0; f < folds.Count; f++)
        {
            z[f] = new int[subjects.Count];
            text[f] = new string[subjects.Count];
            for (var s = 0; s < subjects.Count; s++)
            {
                var id = subjects[s];
                z[f][s] = folds[f].TestSubjects.Contains(id) ? 2 : folds[f].TrainSubjects.Contains(id) ? 1 : 0;
                text[f][s] = status[z[f][s]];
            }
        }
        var rows = folds.Select(f => f.Runnable ? $"fold {f.Index}" : $"fold {f.Index} (skipped)").ToArray();
        var heat = Plot.Trace("heatmap",
            ("x", subjects.Select(s => $"S{s}").ToArray()),
            ("y", rows),
            ("z", z),
            ("text", text),
            ("zmin", 0), ("zmax", 2),
            ("xgap", 1), ("ygap", 1),
            ("colorscale", new object[]
            {
                new object[] { 0.0, "#e0e0e0" }, new object[] { 1.0 / 3, "#e0e0e0" },
                new object[] { 1.0 / 3, "#4c78a8" }, new object[] { 2.0 / 3, "#4c78a8" },
                new object[] { 2.0 / 3, "#e45756" }, new object[] { 1.0, "#e45756" },
            }),
            ("colorbar", Plot.Obj(("tickvals", new[] { 1.0 / 3, 1.0, 5.0 / 3 }), ("ticktext", status), ("len", 0.5), ("thickness", 15))),
            ("hovertemplate", "%{y}<br>subject %{x}: %{text}<extra></extra>"));
        var skipped = folds.Where(f => !f.Runnable).Select(f => $"fold {f.Index}: {f.SkipReason}").ToList();
        return Plot.Build([heat],
            ("title", Plot.Title("Cross-validation folds: test / train subjects")),
            ("xaxis", Plot.Axis("Subject", ("type", "category"), ("side", "top"))),
            ("yaxis", Plot.Axis("Fold", ("type", "category"), ("autorange", "reversed"))),
            ("height", Math.Max(300, 24 * folds.Count + 200)),
            ("margin", Plot.Obj(("t", 110), ("b", skipped.Count > 0 ? 40 + 16 * Math.Min(skipped.Count, 6) : 40))),
            ("annotations", skipped.Count > 0
                ? new object[] { Plot.Obj(("text", Plot.Esc(string.Join("<br>", skipped.Take(6)) + (skipped.Count > 6 ? $"<br>… {skipped.Count - 6} more" : ""))),
                    ("xref", "paper"), ("yref", "paper"), ("x", 0), ("y", 0), ("xanchor", "left"), ("yanchor", "top"), ("align", "left"),
                    ("yshift", -10), ("showarrow", false), ("font", Plot.Obj(("size", 11), ("color", "#555")))) }
                : null));
    }

    /// <summary>Two histograms of one channel: raw values and after the per-fold z-score, with mean and std in the subplot titles.</summary>
    public static GenericChart Normalization(string channel, IReadOnlyList<double> raw, IReadOnlyList<double> normalized)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(normalized);
        static string Stats(IReadOnlyList<double> v)
        {
            var finite = v.Where(double.IsFinite).ToArray();
            if (finite.Length == 0) return "no finite values";
            var mean = finite.Average();
            var std = finite.Length > 1 ? Math.Sqrt(finite.Sum(x => (x - mean) * (x - mean)) / (finite.Length - 1)) : 0;
            return $"mean {Plot.Num(mean, "0.###")}, std {Plot.Num(std, "0.###")}, n = {finite.Length:N0}";
        }
        var traces = new List<Trace>
        {
            Plot.Trace("histogram", ("name", "raw"), ("x", Plot.Significant(raw.ToArray())), ("xaxis", "x"), ("yaxis", "y"),
                ("marker", Plot.Obj(("color", "#7f7f7f"))), ("nbinsx", 60), ("showlegend", false)),
            Plot.Trace("histogram", ("name", "z-score"), ("x", Plot.Significant(normalized.ToArray())), ("xaxis", "x2"), ("yaxis", "y2"),
                ("marker", Plot.Obj(("color", "#1f77b4"))), ("nbinsx", 60), ("showlegend", false)),
        };
        object Sub(string text, double x) => Plot.Obj(("text", text), ("xref", "paper"), ("yref", "paper"), ("x", x), ("y", 1.0),
            ("xanchor", "center"), ("yanchor", "bottom"), ("showarrow", false), ("font", Plot.Obj(("size", 13))));
        return Plot.Build(traces,
            ("title", Plot.Title($"Channel {channel}: before / after the per-fold z-score")),
            ("xaxis", Plot.Axis("Raw value (sensor units)", ("domain", new[] { 0.0, 0.44 }))),
            ("yaxis", Plot.Axis("Samples", ("anchor", "x"))),
            ("xaxis2", Plot.Axis("z-score (standard deviations)", ("domain", new[] { 0.58, 1.0 }), ("anchor", "y2"))),
            ("yaxis2", Plot.Axis("Samples", ("anchor", "x2"))),
            ("bargap", 0.02),
            ("margin", Plot.Obj(("t", 100))),
            ("annotations", new[] { Sub("raw: " + Stats(raw), 0.22), Sub("normalised: " + Stats(normalized), 0.79) }));
    }

    internal static string ClassColor(int classIndex) => Plot.PaletteColor(classIndex);

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == value) return i;
        return -1;
    }
}
