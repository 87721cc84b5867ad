using Deedle;
using TinierHar.Data;

namespace TinierHar.Analysis;

/// <summary>Windows per class (rows) and subject (columns) of a loaded dataset.</summary>
/// <param name="Classes">Class names in class-index order.</param>
/// <param name="Subjects">Subject ids present, ascending, as text.</param>
/// <param name="Counts">Counts[class, subject position].</param>
public sealed record ClassSubjectCounts(IReadOnlyList<string> Classes, IReadOnlyList<string> Subjects, int[,] Counts)
{
    /// <summary>Rows = classes, columns = subjects.</summary>
    public Frame<string, string> ToFrame()
    {
        var builder = new FrameBuilder.Columns<string, string>();
        for (int s = 0; s < Subjects.Count; s++)
        {
            var values = new int[Classes.Count];
            for (int c = 0; c < Classes.Count; c++) values[c] = Counts[c, s];
            builder.Add(Subjects[s], new Series<string, int>(Classes, values));
        }
        return builder.Frame;
    }

    /// <summary>Windows of one class over all subjects.</summary>
    public int ClassTotal(int classIndex) => Enumerable.Range(0, Subjects.Count).Sum(s => Counts[classIndex, s]);
}

/// <summary>A run of equal raw labels in a recording: rows [Start, End).</summary>
public sealed record Segment(int Start, int End, int RawLabel)
{
    public int Length => End - Start;
}

/// <summary>How one window got its label: the raw labels it covers and the reference's mode rule (see <see cref="Windowing"/>).</summary>
/// <param name="Window">Window index in the dataset's <see cref="WindowIndex"/>.</param>
/// <param name="Recording">Index of its recording.</param>
/// <param name="Block">The recording's block id.</param>
/// <param name="Subject">Subject of the recording.</param>
/// <param name="Start">First row in the recording.</param>
/// <param name="End">One past the last row.</param>
/// <param name="Counts">Raw label id → rows in the window, in label-map order.</param>
/// <param name="ChosenRawLabel">Raw id the rule picks (mode; ties to the first in label-map order).</param>
/// <param name="ClassIndex">Class index 0..K−1 of the window.</param>
/// <param name="ClassName">Name of that class.</param>
public sealed record WindowLabelExample(int Window, int Recording, string Block, int Subject, int Start, int End,
    IReadOnlyDictionary<int, int> Counts, int ChosenRawLabel, int ClassIndex, string ClassName);

/// <summary>What notebook 01 shows about a dataset: window counts, label segments, the window-label rule, normalisation.</summary>
public static class DataSummary
{
    /// <summary>Windows per class and subject (all windows of the dataset, before any fold split).</summary>
    public static ClassSubjectCounts WindowsPerClassAndSubject(LoadedDataset data)
    {
        var w = data.Windows;
        var subjects = w.Subject.Distinct().Order().ToArray();
        var column = subjects.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        var counts = new int[data.Info.K, subjects.Length];
        for (int i = 0; i < w.Count; i++) counts[w.Label[i], column[w.Subject[i]]]++;
        return new ClassSubjectCounts(data.Info.ClassNames, subjects.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), counts);
    }

    /// <summary>
    /// Samples per class and subject: every sample of every recording whose raw label maps to a class (samples with
    /// dropped or unknown labels are not counted; compare with <see cref="WindowsPerClassAndSubject"/> to see what
    /// windowing and the label rule keep).
    /// </summary>
    public static ClassSubjectCounts SamplesPerClassAndSubject(LoadedDataset data)
    {
        var classOf = data.Info.ClassRawIds.Select((raw, k) => (raw, k)).ToDictionary(x => x.raw, x => x.k);
        var subjects = data.Recordings.Select(r => r.Subject).Distinct().Order().ToArray();
        var column = subjects.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        var counts = new int[data.Info.K, subjects.Length];
        foreach (var r in data.Recordings)
            foreach (var raw in r.Labels)
                if (classOf.TryGetValue(raw, out var k)) counts[k, column[r.Subject]]++;
        return new ClassSubjectCounts(data.Info.ClassNames, subjects.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), counts);
    }

    /// <summary>Runs of equal raw labels in a recording, in row order.</summary>
    public static IReadOnlyList<Segment> Segments(Recording r)
    {
        var list = new List<Segment>();
        var labels = r.Labels;
        int start = 0;
        for (int i = 1; i <= labels.Length; i++)
            if (i == labels.Length || labels[i] != labels[start])
            {
                list.Add(new Segment(start, i, labels[start]));
                start = i;
            }
        return list;
    }

    /// <summary>
    /// A stretch of signal worth plotting: the recording with the most distinct activities when it has at least two
    /// (continuous recordings such as Daphnet or HAPT). When every recording holds one activity (USC-HAD, DSADS,
    /// UTD-MHAD: one file per activity), the first subject's recordings of different activities, up to
    /// <paramref name="maxSamplesPerActivity"/> samples each, joined end to end into one <see cref="Recording"/> whose
    /// <see cref="Recording.Block"/> says so. Shading then shows where one activity file ends and the next begins.
    /// </summary>
    public static Recording ExampleStream(LoadedDataset data, int maxSamplesPerActivity)
    {
        if (data.Recordings.Count == 0) throw new TinierHarException($"dataset '{data.Info.Key}' has no recordings in {data.Root}");
        if (maxSamplesPerActivity < 1) throw new ArgumentOutOfRangeException(nameof(maxSamplesPerActivity), "must be >= 1");
        var best = data.Recordings.MaxBy(r => r.Labels.Distinct().Count())!;
        if (best.Labels.Distinct().Count() >= 2) return best;
        var subject = data.Recordings[0].Subject;
        var pieces = data.Recordings.Where(r => r.Subject == subject && r.Length > 0)
            .GroupBy(r => r.Labels[0]).Select(g => g.First()).Take(6).ToArray();
        if (pieces.Length < 2) return best;
        var c = pieces[0].Channels;
        var lengths = pieces.Select(r => Math.Min(r.Length, maxSamplesPerActivity)).ToArray();
        var samples = new float[lengths.Sum() * c];
        var labels = new int[lengths.Sum()];
        int row = 0;
        for (int i = 0; i < pieces.Length; i++)
        {
            Array.Copy(pieces[i].Samples, 0, samples, row * c, lengths[i] * c);
            Array.Copy(pieces[i].Labels, 0, labels, row, lengths[i]);
            row += lengths[i];
        }
        var block = $"{pieces.Length} activity files joined ({pieces[0].Block} … {pieces[^1].Block})";
        return new Recording(subject, block, samples, c, labels);
    }

    /// <summary>The labelling of window <paramref name="window"/>, by <see cref="Windowing.ModeRawLabel"/> (the rule the windows were cut with).</summary>
    public static WindowLabelExample LabelRule(LoadedDataset data, int window)
    {
        var w = data.Windows;
        if (window < 0 || window >= w.Count)
            throw new TinierHarException($"dataset '{data.Info.Key}' has windows 0..{w.Count - 1}, not {window}");
        int rec = w.Recording[window], start = w.Start[window], end = start + w.T;
        var recording = data.Recordings[rec];
        var raw = recording.Labels.AsSpan(start, w.T);
        var counts = new Dictionary<int, int>();
        foreach (var l in raw) counts[l] = counts.GetValueOrDefault(l) + 1;
        var order = data.Info.LabelMap.Select((e, i) => (e.RawId, i)).ToDictionary(x => x.RawId, x => x.i);
        var ordered = counts.OrderBy(kv => order.GetValueOrDefault(kv.Key, int.MaxValue)).ToDictionary(kv => kv.Key, kv => kv.Value);
        int chosen = Windowing.ModeRawLabel(raw, data.Info);
        int cls = w.Label[window];
        if (data.Info.ClassRawIds[cls] != chosen)
            throw new TinierHarException($"dataset '{data.Info.Key}', window {window}: rule gives raw id {chosen} but the window has class {cls} (raw id {data.Info.ClassRawIds[cls]})");
        return new WindowLabelExample(window, rec, recording.Block, recording.Subject, start, end, ordered, chosen, cls, data.Info.ClassNames[cls]);
    }

    /// <summary>
    /// One channel's values before and after the fold's z-score normalisation (<see cref="Protocol.FitFold"/>: mean and
    /// sample std of the fold's training+validation subjects' rows), on the training subjects' rows, evenly subsampled to
    /// at most <paramref name="maxValues"/> values.
    /// </summary>
    public static (double[] Raw, double[] Normalized) ChannelBeforeAfter(LoadedDataset data, int fold, int channel, int maxValues = 20000)
    {
        var info = data.Info;
        if (channel < 0 || channel >= info.C) throw new TinierHarException($"dataset '{info.Key}' has channels 0..{info.C - 1}, not {channel}");
        if (maxValues < 1) throw new TinierHarException($"maxValues must be >= 1, got {maxValues}");
        var spec = data.Fold(fold);
        var norm = Protocol.FitFold(info, spec, data.Recordings);
        var train = info.Scheme == CvScheme.Socv ? null : spec.TrainSubjects.ToHashSet();
        var recs = data.Recordings.Where(r => train is null || train.Contains(r.Subject)).ToList();
        long total = recs.Sum(r => (long)r.Length);
        long stride = Math.Max(1, (total + maxValues - 1) / maxValues);
        var raw = new List<double>((int)Math.Min(total, maxValues));
        var normalized = new List<double>(raw.Capacity);
        long g = 0;
        foreach (var r in recs)
            for (int i = 0; i < r.Length; i++, g++)
            {
                if (g % stride != 0) continue;
                float x = r.Samples[(long)i * r.Channels + channel];
                raw.Add(x);
                normalized.Add(norm.Apply(x, channel));
            }
        return ([.. raw], [.. normalized]);
    }
}
