namespace TinierHar.Data;

/// <summary>
/// Maps a dataset's raw label ids to label-map positions and class indices (reference: <c>labelToId</c>,
/// <c>drop_activities</c>, <c>no_drop_activites</c> and <c>class_transform</c> in <c>dataloaders/dataloader_*_har.py</c>
/// and <c>dataloader_base.py</c>).
/// </summary>
public sealed class LabelMapper
{
    readonly Dictionary<int, int> _position = new();
    readonly int[] _classOfPosition;

    public LabelMapper(DatasetInfo info)
    {
        Info = info;
        _classOfPosition = new int[info.LabelMap.Count];
        int k = 0;
        for (int p = 0; p < info.LabelMap.Count; p++)
        {
            var raw = info.LabelMap[p].RawId;
            if (!_position.TryAdd(raw, p)) throw new TinierHarException($"dataset '{info.Key}': raw label id {raw} appears twice in the label map");
            _classOfPosition[p] = info.DroppedRawIds.Contains(raw) ? -1 : k++;
        }
        foreach (var d in info.DroppedRawIds)
            if (!_position.ContainsKey(d)) throw new TinierHarException($"dataset '{info.Key}': dropped raw id {d} is not in the label map");
    }

    public DatasetInfo Info { get; }

    /// <summary>Number of label-map entries (dropped ones included).</summary>
    public int Positions => _classOfPosition.Length;

    /// <summary>Label-map position of a raw id, or −1 when the raw id is not in the map.</summary>
    public int PositionOf(int rawId) => _position.TryGetValue(rawId, out var p) ? p : -1;

    /// <summary>Class index 0..K−1 of a label-map position, or −1 for a dropped id.</summary>
    public int ClassOfPosition(int position) => _classOfPosition[position];

    /// <summary>Class index of a raw id, −1 when dropped; throws for a raw id not in the map.</summary>
    public int ClassOf(int rawId)
    {
        var p = PositionOf(rawId);
        if (p < 0) throw new TinierHarException($"dataset '{Info.Key}': raw label id {rawId} is not in the label map");
        return _classOfPosition[p];
    }
}

/// <summary>
/// All windows of a dataset, as parallel arrays (one entry per window, in recording order then start order): which
/// recording, the first row, the class index 0..K−1 and the subject. Holds positions only, never sample copies.
/// </summary>
public sealed class WindowIndex
{
    public WindowIndex(int t, int step, int[] recording, int[] start, int[] label, int[] subject)
    {
        if (recording.Length != start.Length || start.Length != label.Length || label.Length != subject.Length)
            throw new ArgumentException("window arrays differ in length");
        T = t; Step = step; Recording = recording; Start = start; Label = label; Subject = subject;
    }

    public int T { get; }
    public int Step { get; }
    public int Count => Start.Length;
    public int[] Recording { get; }
    public int[] Start { get; }
    public int[] Label { get; }
    public int[] Subject { get; }

    /// <summary>Windows per class for the given window indices (all windows when null).</summary>
    public int[] ClassCounts(int k, IEnumerable<int>? windows = null)
    {
        var counts = new int[k];
        if (windows is null) foreach (var l in Label) counts[l]++;
        else foreach (var w in windows) counts[Label[w]]++;
        return counts;
    }
}

/// <summary>
/// Sliding windows exactly as <c>dataloader_base.py</c> <c>get_the_sliding_index</c> cuts them (docs/reference.md section 4):
/// windows of T rows with step int(0.5·T), cut inside each <see cref="Recording"/> (the reference's block = rows with
/// the same <c>sub_id</c>), starting at the block's first row and stopping before a window would pass the block's end;
/// window label = mode of the raw per-row labels, ties to the label that comes first in the label map (the reference
/// takes the mode of ids already mapped to label-map positions; that is the smallest raw id for all datasets except
/// oppo); windows whose mode is a dropped id are discarded; the rest get class indices 0..K−1.
/// Differences: none in the result. The reference cuts "train" and "test" window lists separately with the same step;
/// here one list serves both.
/// </summary>
public static class Windowing
{
    /// <summary>The reference's sliding step int(0.5·T) (the same for training and test windows).</summary>
    public static int StepFor(int t) => (int)(0.5 * t);

    /// <summary>Cuts the windows of all recordings, in recording order.</summary>
    public static WindowIndex Cut(IReadOnlyList<Recording> recordings, DatasetInfo info)
    {
        int t = info.WindowT;
        int step = StepFor(t);
        if (t < 2) throw new TinierHarException($"dataset '{info.Key}': window length T={t} must be at least 2");
        var mapper = new LabelMapper(info);
        var rec = new List<int>(); var start = new List<int>(); var label = new List<int>(); var subject = new List<int>();
        var counts = new int[mapper.Positions];
        int[] positions = [];
        for (int r = 0; r < recordings.Count; r++)
        {
            var recording = recordings[r];
            int n = recording.Length;
            if (n < t) continue;
            if (positions.Length < n) positions = new int[n];
            var labels = recording.Labels;
            int lastRaw = 0, lastPos = mapper.PositionOf(0);
            for (int i = 0; i < n; i++)
            {
                int raw = labels[i];
                if (raw != lastRaw || lastPos < 0)
                {
                    lastRaw = raw;
                    lastPos = mapper.PositionOf(raw);   // labels come in runs: one lookup per run
                    if (lastPos < 0)
                        throw new TinierHarException($"dataset '{info.Key}', block '{recording.Block}', row {i}: raw label id {raw} is not in the label map ({string.Join(", ", info.LabelMap.Select(e => e.RawId))})");
                }
                positions[i] = lastPos;
            }
            for (int s = 0; s + t <= n; s += step)
            {
                int mode = ModePosition(positions.AsSpan(s, t), counts);
                int cls = mapper.ClassOfPosition(mode);
                if (cls < 0) continue;
                rec.Add(r); start.Add(s); label.Add(cls); subject.Add(recording.Subject);
            }
        }
        return new WindowIndex(t, step, [.. rec], [.. start], [.. label], [.. subject]);
    }

    /// <summary>Mode of label-map positions; ties go to the smallest position. <paramref name="counts"/> is scratch space.</summary>
    public static int ModePosition(ReadOnlySpan<int> positions, int[] counts)
    {
        Array.Clear(counts);
        foreach (var p in positions) counts[p]++;
        int best = 0;
        for (int p = 1; p < counts.Length; p++) if (counts[p] > counts[best]) best = p;
        return best;
    }

    /// <summary>The raw label id a window gets (mode with label-map tie order) — for inspection and tests.</summary>
    public static int ModeRawLabel(ReadOnlySpan<int> rawLabels, DatasetInfo info)
    {
        var mapper = new LabelMapper(info);
        var positions = new int[rawLabels.Length];
        for (int i = 0; i < rawLabels.Length; i++)
        {
            positions[i] = mapper.PositionOf(rawLabels[i]);
            if (positions[i] < 0) throw new TinierHarException($"dataset '{info.Key}': raw label id {rawLabels[i]} is not in the label map");
        }
        return info.LabelMap[ModePosition(positions, new int[mapper.Positions])].RawId;
    }
}
