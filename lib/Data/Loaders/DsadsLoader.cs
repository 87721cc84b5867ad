using System.Text.RegularExpressions;

namespace TinierHar.Data.Loaders;

/// <summary>
/// Daily and Sports Activities (key <c>dsads</c>): <c>data/aXX/pY/sZZ.txt</c>, 125 rows x 45 comma-separated floats
/// (units T, RA, LA, RL, LL, each acc xyz, gyro xyz, mag xyz), 25 Hz, 5 s per segment.
/// Mirrors <c>dataloaders/dataloader_DSADS_har.py</c>: every segment file is its own block; raw label = activity
/// number XX (1..19); subject = Y (1..8). No NaN handling (the files have none).
/// Quirk (reference, kept when <see cref="LoaderOptions.ReferenceQuirks"/> is true): the reference's
/// <c>used_cols</c> lists file column 42 twice and omits column 43, so channel 43 ("mag_y_LL") is a copy of
/// channel 42 (mag_x_LL) and the real mag_y of the left leg is never seen. Corrected (false): the 45 columns in
/// file order. Differences: files are read in (activity, subject, segment) number order, not <c>os.listdir</c>'s;
/// absent subjects are skipped.
/// </summary>
public sealed partial class DsadsLoader : IDatasetLoader
{
    public const int ChannelCount = 45;
    public const int RowsPerSegment = 125;

    [GeneratedRegex(@"^a(\d+)$")] private static partial Regex ActivityDir();
    [GeneratedRegex(@"^p(\d+)$")] private static partial Regex SubjectDir();
    [GeneratedRegex(@"^s(\d+)\.txt$")] private static partial Regex SegmentFile();

    /// <summary>The file column read into each channel.</summary>
    public static int[] ColumnsUsed(LoaderOptions options)
    {
        var cols = Enumerable.Range(0, ChannelCount).ToArray();
        if (options.ReferenceQuirks) cols[43] = 42;
        return cols;
    }

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var dir = DatasetPaths.FindDirectory(root, "DSADS", "data", ".");
        var files = new List<(string Path, int Activity, int Subject, int Segment)>();
        foreach (var a in Numbered(Directory.EnumerateDirectories(dir), ActivityDir()))
        foreach (var p in Numbered(Directory.EnumerateDirectories(a.Path), SubjectDir()))
        foreach (var s in Numbered(Directory.EnumerateFiles(p.Path), SegmentFile()))
            files.Add((s.Path, a.Number, p.Number, s.Number));
        DatasetPaths.RequireAny(files, dir, "aXX/pY/sZZ.txt segment files");
        var cols = ColumnsUsed(options);
        return OrderedParallel.Map(files, f => ReadSegment(f.Path, f.Subject, f.Activity, cols), progress, "DSADS");
    }

    private static IEnumerable<(string Path, int Number)> Numbered(IEnumerable<string> paths, Regex name) =>
        paths.Select(p => (Path: p, M: name.Match(Path.GetFileName(p))))
            .Where(x => x.M.Success)
            .Select(x => (x.Path, Number: int.Parse(x.M.Groups[1].Value)))
            .OrderBy(x => x.Number);

    internal static Recording ReadSegment(string path, int subject, int activity, int[] cols)
    {
        var file = TextFile.Read(path);
        var buf = new SampleBuffer(ChannelCount, RowsPerSegment);
        Span<double> row = stackalloc double[ChannelCount];
        while (file.NextDataLine(out var line))
        {
            TextFields.ParseNumbers(file, line, Separator.Comma, row);
            var dst = buf.AddRow(activity);
            for (int c = 0; c < cols.Length; c++) dst[c] = row[cols[c]];
        }
        var block = $"a{activity:00}/p{subject}/{Path.GetFileName(path)}";
        return buf.ToRecording(subject, block);
    }
}
