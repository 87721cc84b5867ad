namespace TinierHar.Data.Loaders;

/// <summary>
/// UCI-HAR pre-cut windows (key <c>uci</c>): <c>UCI HAR Dataset/{train,test}/Inertial Signals/&lt;signal&gt;_{train,test}.txt</c>
/// (one 128-sample window per line, whitespace-separated, 50 Hz) with <c>y_*.txt</c> (activity 1..6) and
/// <c>subject_*.txt</c> (1..30), one line per window.
/// Mirrors <c>dataloaders/dataloader_UCI_har.py</c>: channels body_acc xyz, body_gyro xyz, total_acc xyz; each line
/// (window) is its own 128-sample block carrying its y label on every sample (raw label = 1..6); train and test are
/// pooled. No NaN handling.
/// Differences: blocks come train first then test, in line order (the reference regroups them by the string
/// "sub_line", which only reorders blocks). No quirks.
/// </summary>
public sealed class UciHarLoader : IDatasetLoader
{
    public const int WindowLength = 128;

    public static readonly string[] Signals =
    [
        "body_acc_x", "body_acc_y", "body_acc_z", "body_gyro_x", "body_gyro_y", "body_gyro_z",
        "total_acc_x", "total_acc_y", "total_acc_z",
    ];

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var dir = DatasetPaths.FindDirectory(root, "UCI-HAR", "UCI HAR Dataset", ".");
        var result = new List<Recording>();
        foreach (var part in new[] { "train", "test" })
        {
            var partDir = Path.Combine(dir, part);
            if (!Directory.Exists(partDir))
                throw new TinierHarException($"{dir}: folder '{part}/' not found");
            var labels = ReadIntColumn(Path.Combine(partDir, $"y_{part}.txt"));
            var subjects = ReadIntColumn(Path.Combine(partDir, $"subject_{part}.txt"));
            if (labels.Count != subjects.Count)
                throw new TinierHarException($"{partDir}: y_{part}.txt has {labels.Count} lines but subject_{part}.txt has {subjects.Count}");
            var signalFiles = Signals.Select(s => Path.Combine(partDir, "Inertial Signals", $"{s}_{part}.txt")).ToArray();
            var signals = OrderedParallel.Map(signalFiles, f => ReadWindows(f, labels.Count), progress, $"UCI-HAR {part}");
            int c = Signals.Length;
            for (int w = 0; w < labels.Count; w++)
            {
                var samples = new float[WindowLength * c];
                for (int s = 0; s < c; s++)
                for (int t = 0; t < WindowLength; t++)
                    samples[t * c + s] = (float)signals[s][w * WindowLength + t];
                var lab = new int[WindowLength];
                Array.Fill(lab, labels[w]);
                result.Add(new Recording(subjects[w], $"{part}/{w + 1}", samples, c, lab));
            }
        }
        return result;
    }

    private static List<int> ReadIntColumn(string path)
    {
        var file = TextFile.Read(path);
        var list = new List<int>();
        Span<Range> r = stackalloc Range[2];
        while (file.NextDataLine(out var line))
        {
            if (TextFields.Split(line, Separator.Whitespace, r) != 1)
                throw file.Error("expected one integer per line");
            list.Add(TextFields.ParseInt(file, line[r[0]], 0));
        }
        return list;
    }

    private static double[] ReadWindows(string path, int expectedLines)
    {
        var file = TextFile.Read(path);
        var values = new double[expectedLines * WindowLength];
        int w = 0;
        while (file.NextDataLine(out var line))
        {
            if (w == expectedLines)
                throw file.Error($"more lines than the {expectedLines} labels in y_*.txt");
            var dst = values.AsSpan(w * WindowLength, WindowLength);
            TextFields.ParseNumbers(file, line, Separator.Whitespace, dst);
            if (Samples.RowHasNaN(dst))
                throw file.Error("missing value; UCI-HAR signals have none");
            w++;
        }
        if (w != expectedLines)
            throw new TinierHarException($"{path}: {w} lines, but y_*.txt has {expectedLines}");
        return values;
    }
}
