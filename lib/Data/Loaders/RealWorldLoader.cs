using System.IO.Compression;
using System.Text.RegularExpressions;

namespace TinierHar.Data.Loaders;

/// <summary>
/// RealWorld HAR 2016 (key <c>rw</c>): <c>realworld2016_dataset/proband{N}/data/acc_&lt;activity&gt;_csv.zip</c>, each
/// holding <c>acc_&lt;activity&gt;_&lt;position&gt;.csv</c> (header <c>id,attr_time,attr_x,attr_y,attr_z</c>, time in ms)
/// for the 7 positions chest, forearm, head, shin, thigh, upperarm, waist; some zips instead hold one inner zip per
/// recording session (<c>acc_&lt;activity&gt;_&lt;k&gt;_csv.zip</c>).
/// Mirrors <c>dataloaders/dataloader_RW_har.py</c>: per position, samples are averaged into 20 ms bins aligned to
/// multiples of 20 ms since the epoch (pandas <c>resample('20ms').mean()</c>), empty bins are linearly interpolated;
/// the positions are outer-merged on the bin time and rows missing any position dropped (<c>dropna</c>), which
/// leaves the time span all 7 positions cover; channels = acc xyz of chest, forearm, head, shin, thigh, upperarm,
/// waist (21, 50 Hz); raw label = activity index in climbingdown 0, climbingup 1, jumping 2, lying 3, running 4,
/// sitting 5, standing 6, walking 7; block = (subject, activity). Position = the text between the last '_' and the
/// '.' of the csv name; if a zip has two csv files for one position the later one wins, as in the reference.
/// Quirk (reference, kept when <see cref="LoaderOptions.ReferenceQuirks"/> is true): when the zip holds several
/// session zips the reference keeps only the one whose name sorts last (<c>max(namelist)</c>) and ignores the
/// other sessions. Corrected (false): every session is read, each as its own block (subject, activity, session).
/// Differences: probands are read in number order; a missing activity zip is skipped (reported) instead of an
/// error; a block where a position is missing or the positions do not overlap in time has no rows and is left out
/// (the reference's <c>dropna</c> removes it too).
/// </summary>
public sealed partial class RealWorldLoader : IDatasetLoader
{
    public static readonly string[] Activities =
        ["climbingdown", "climbingup", "jumping", "lying", "running", "sitting", "standing", "walking"];

    public static readonly string[] Positions = ["chest", "forearm", "head", "shin", "thigh", "upperarm", "waist"];

    public const long BinMilliseconds = 20;

    [GeneratedRegex(@"^proband(\d+)$")] private static partial Regex ProbandDir();

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var dir = DatasetPaths.FindDirectory(root, "RealWorld HAR", "realworld2016_dataset", ".");
        var probands = Directory.EnumerateDirectories(dir)
            .Select(d => (Path: d, M: ProbandDir().Match(Path.GetFileName(d))))
            .Where(x => x.M.Success)
            .Select(x => (x.Path, Subject: int.Parse(x.M.Groups[1].Value)))
            .OrderBy(x => x.Subject)
            .ToList();
        DatasetPaths.RequireAny(probands, dir, "probandN folders");
        var jobs = new List<(string Zip, int Subject, int Activity)>();
        foreach (var p in probands)
            for (int a = 0; a < Activities.Length; a++)
            {
                var zip = Path.Combine(p.Path, "data", $"acc_{Activities[a]}_csv.zip");
                if (File.Exists(zip)) jobs.Add((zip, p.Subject, a));
                else progress?.Report($"RealWorld: {zip} not found; skipped");
            }
        var perZip = OrderedParallel.Map(jobs, j => ReadActivityZip(j.Zip, j.Subject, j.Activity, options.ReferenceQuirks),
            progress, "RealWorld");
        var result = new List<Recording>();
        foreach (var recs in perZip)
            foreach (var r in recs)
                if (r.Length > 0) result.Add(r);
                else progress?.Report($"RealWorld: {r.Block} has no time where all 7 positions have data; left out");
        return result;
    }

    internal static List<Recording> ReadActivityZip(string zipPath, int subject, int activity, bool referenceQuirks)
    {
        var block = $"proband{subject}/{Activities[activity]}";
        using var zip = OpenZip(File.OpenRead(zipPath), zipPath);
        var inner = zip.Entries.Where(e => e.FullName.Contains(".zip", StringComparison.Ordinal)).ToList();
        if (inner.Count == 0)
            return [ReadSession(zip, zipPath, subject, activity, block)];
        var names = zip.Entries.Select(e => e.FullName).ToList();
        var sessions = referenceQuirks
            ? [names.Max(StringComparer.Ordinal)!]
            : names.Where(n => n.Contains(".zip", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var result = new List<Recording>();
        foreach (var name in sessions)
        {
            var entry = zip.GetEntry(name)!;
            var ms = new MemoryStream();
            using (var s = entry.Open()) s.CopyTo(ms);
            ms.Position = 0;
            using var innerZip = OpenZip(ms, $"{zipPath}!{name}");
            var sessionBlock = referenceQuirks ? block : $"{block}/{Path.GetFileNameWithoutExtension(name)}";
            result.Add(ReadSession(innerZip, $"{zipPath}!{name}", subject, activity, sessionBlock));
        }
        return result;
    }

    private static ZipArchive OpenZip(Stream stream, string name)
    {
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new TinierHarException($"{name}: not a readable zip archive ({e.Message})", e);
        }
    }

    /// <summary>One zip of per-position csv files → one block of 21 channels on the common 20 ms grid.</summary>
    private static Recording ReadSession(ZipArchive zip, string zipName, int subject, int activity, string block)
    {
        var byPosition = new Dictionary<string, Resampled>();
        foreach (var e in zip.Entries)
        {
            if (!e.FullName.Contains("csv", StringComparison.Ordinal)) continue;
            var n = e.FullName;
            int us = n.LastIndexOf('_'), dot = n.LastIndexOf('.');
            if (us < 0 || dot <= us) continue;
            var pos = n[(us + 1)..dot];
            var ms = new MemoryStream();
            using (var s = e.Open()) s.CopyTo(ms);
            byPosition[pos] = Resample(TextFile.FromBytes($"{zipName}!{n}", ms.ToArray()));
        }
        int channels = Positions.Length * 3;
        if (!Positions.All(byPosition.ContainsKey))
            return new Recording(subject, block, [], channels, []);
        long start = Positions.Max(p => byPosition[p].FirstBin), end = Positions.Min(p => byPosition[p].LastBin);
        int rows = (int)Math.Max(0, end - start + 1);
        var values = new double[rows * channels];
        for (int k = 0; k < Positions.Length; k++)
        {
            var r = byPosition[Positions[k]];
            for (int i = 0; i < rows; i++)
            {
                int src = (int)(start + i - r.FirstBin);
                for (int c = 0; c < 3; c++) values[i * channels + k * 3 + c] = r.Xyz[src * 3 + c];
            }
        }
        var labels = new int[rows];
        Array.Fill(labels, activity);
        return Samples.ToRecording(subject, block, values, channels, labels);
    }

    /// <summary>xyz per 20 ms bin from <see cref="FirstBin"/> to <see cref="LastBin"/> (bin = floor(ms / 20)).</summary>
    private sealed record Resampled(long FirstBin, long LastBin, double[] Xyz);

    private static Resampled Resample(TextFile file)
    {
        if (!file.NextLine(out var header))
            throw file.Error("empty file; expected the header id,attr_time,attr_x,attr_y,attr_z");
        var names = TextFields.SplitToStrings(header, Separator.Comma);
        int Col(string name)
        {
            int i = names.IndexOf(name);
            if (i < 0) throw file.Error($"header has no column '{name}'; expected id,attr_time,attr_x,attr_y,attr_z, found '{string.Join(",", names)}'");
            return i;
        }
        int tc = Col("attr_time"), xc = Col("attr_x"), yc = Col("attr_y"), zc = Col("attr_z");
        var times = new List<long>();
        var xyz = new List<double>();
        var f = new Range[names.Count + 1];
        while (file.NextDataLine(out var line))
        {
            int n = TextFields.Split(line, Separator.Comma, f);
            if (n != names.Count)
                throw file.Error($"expected {names.Count} comma-separated fields as in the header, found {n}");
            double t = TextFields.ParseNumber(file, line[f[tc]], tc);
            if (double.IsNaN(t) || t != Math.Floor(t))
                throw file.Error($"column {tc + 1}: expected an integer time in ms, found {TextFields.Show(line[f[tc]])}");
            times.Add((long)t);
            xyz.Add(TextFields.ParseNumber(file, line[f[xc]], xc));
            xyz.Add(TextFields.ParseNumber(file, line[f[yc]], yc));
            xyz.Add(TextFields.ParseNumber(file, line[f[zc]], zc));
        }
        if (times.Count == 0)
            throw new TinierHarException($"{file.Path}: no samples");
        long first = long.MaxValue, last = long.MinValue;
        foreach (long t in times)
        {
            long b = FloorDiv(t, BinMilliseconds);
            first = Math.Min(first, b);
            last = Math.Max(last, b);
        }
        if (last - first > 50_000_000)
            throw new TinierHarException($"{file.Path}: times span {(last - first) * BinMilliseconds / 3_600_000.0:F0} hours; expected one recording session");
        int bins = (int)(last - first + 1);
        var sum = new double[bins * 3];
        var count = new int[bins * 3];
        for (int i = 0; i < times.Count; i++)
        {
            int b = (int)(FloorDiv(times[i], BinMilliseconds) - first);
            for (int c = 0; c < 3; c++)
            {
                double v = xyz[i * 3 + c];
                if (double.IsNaN(v)) continue; // pandas' mean skips NaN
                sum[b * 3 + c] += v;
                count[b * 3 + c]++;
            }
        }
        for (int i = 0; i < sum.Length; i++) sum[i] = count[i] > 0 ? sum[i] / count[i] : double.NaN;
        Samples.InterpolateNaNBothDirections(sum, bins, 3);
        return new Resampled(first, last, sum);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
