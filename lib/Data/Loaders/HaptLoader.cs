using System.Text.RegularExpressions;

namespace TinierHar.Data.Loaders;

/// <summary>
/// SBHAR / HAPT raw data (key <c>hapt</c>): <c>RawData/acc_expXX_userYY.txt</c> and <c>gyro_expXX_userYY.txt</c>
/// (3 space-separated floats per row each, 50 Hz) and <c>RawData/labels.txt</c> (experiment, user, activity,
/// start, end). Mirrors <c>dataloaders/dataloader_HAPT_har.py</c>: channels acc xyz then gyro xyz (the two files
/// side by side, which must have equal row counts); each experiment is one block; raw label = the activity id
/// (1..12) of the labels.txt segment covering the row, 0 (dropped later) for rows outside every segment.
/// Quirk (reference, kept when <see cref="LoaderOptions.ReferenceQuirks"/> is true): the reference labels rows
/// <c>iloc[start:end+1]</c>, i.e. it reads start/end as 0-based inclusive row indices. The indices are most likely
/// 1-based (the dataset comes from MATLAB; the README does not say, but end indices reach the signal length), which
/// shifts every segment one row late. Corrected (false): rows <c>start-1 .. end-1</c> (1-based inclusive).
/// Differences: only experiments whose acc and gyro files both exist are read, in experiment order.
/// </summary>
public sealed partial class HaptLoader : IDatasetLoader
{
    public const int ChannelCount = 6;

    [GeneratedRegex(@"^acc_exp(\d+)_user(\d+)\.txt$")] private static partial Regex AccFile();

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var dir = DatasetPaths.FindDirectory(root, "HAPT", "RawData", ".");
        var segments = ReadLabels(Path.Combine(dir, "labels.txt"));
        var exps = Directory.EnumerateFiles(dir, "acc_exp*_user*.txt")
            .Select(f => (Path: f, M: AccFile().Match(Path.GetFileName(f))))
            .Where(x => x.M.Success)
            .Select(x => (Acc: x.Path, Exp: int.Parse(x.M.Groups[1].Value), User: int.Parse(x.M.Groups[2].Value),
                Gyro: Path.Combine(dir, "gyro" + Path.GetFileName(x.Path)[3..])))
            .OrderBy(x => x.Exp)
            .ToList();
        DatasetPaths.RequireAny(exps, dir, "acc_expXX_userYY.txt files");
        return OrderedParallel.Map(exps, e =>
        {
            var rec = ReadExperiment(e.Acc, e.Gyro, e.User, $"exp{e.Exp:00}_user{e.User:00}");
            ApplyLabels(rec, segments.Where(s => s.Exp == e.Exp && s.User == e.User), options.ReferenceQuirks);
            return rec;
        }, progress, "HAPT");
    }

    internal readonly record struct Segment(int Exp, int User, int Activity, int Start, int End);

    internal static List<Segment> ReadLabels(string path)
    {
        var file = TextFile.Read(path);
        var list = new List<Segment>();
        Span<double> v = stackalloc double[5];
        while (file.NextDataLine(out var line))
        {
            TextFields.ParseNumbers(file, line, Separator.Whitespace, v);
            foreach (double d in v)
                if (d != Math.Floor(d) || d < 0)
                    throw file.Error($"expected 5 non-negative integers (experiment, user, activity, start, end), found {d}");
            if (v[4] < v[3])
                throw file.Error($"segment end {v[4]} is before its start {v[3]}");
            list.Add(new Segment((int)v[0], (int)v[1], (int)v[2], (int)v[3], (int)v[4]));
        }
        return list;
    }

    private static Recording ReadExperiment(string accPath, string gyroPath, int user, string block)
    {
        var acc = ReadXyz(accPath);
        var gyro = ReadXyz(gyroPath);
        int n = acc.Count / 3;
        if (gyro.Count / 3 != n)
            throw new TinierHarException($"{gyroPath}: {gyro.Count / 3} rows, but {accPath} has {n}; acc and gyro must have equal row counts");
        var samples = new float[n * ChannelCount];
        for (int r = 0; r < n; r++)
        for (int c = 0; c < 3; c++)
        {
            samples[r * 6 + c] = (float)acc[r * 3 + c];
            samples[r * 6 + 3 + c] = (float)gyro[r * 3 + c];
        }
        return new Recording(user, block, samples, ChannelCount, new int[n]);
    }

    private static List<double> ReadXyz(string path)
    {
        var file = TextFile.Read(path);
        var list = new List<double>(file.CountDataLines() * 3);
        Span<double> v = stackalloc double[3];
        while (file.NextDataLine(out var line))
        {
            TextFields.ParseNumbers(file, line, Separator.Whitespace, v);
            list.Add(v[0]); list.Add(v[1]); list.Add(v[2]);
        }
        return list;
    }

    /// <summary>Writes the segments' activity ids into the recording's labels (0 elsewhere).</summary>
    internal static void ApplyLabels(Recording rec, IEnumerable<Segment> segments, bool referenceQuirks)
    {
        int shift = referenceQuirks ? 0 : 1;
        foreach (var s in segments)
        {
            int from = Math.Max(0, s.Start - shift), to = Math.Min(rec.Length - 1, s.End - shift);
            for (int r = from; r <= to; r++) rec.Labels[r] = s.Activity;
        }
    }
}
