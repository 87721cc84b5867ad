using System.Text.RegularExpressions;

namespace TinierHar.Data.Loaders;

/// <summary>
/// MotionSense DeviceMotion (key <c>motionsense</c>): <c>A_DeviceMotion_data/&lt;act&gt;_&lt;trial&gt;/sub_N.csv</c>, a
/// header row and an unnamed index column, then attitude roll/pitch/yaw, gravity xyz, rotationRate xyz,
/// userAcceleration xyz (12 channels, 50 Hz).
/// Mirrors <c>dataloaders/dataloader_MOTIONSENSE_har.py</c>: only the trials dws 1,2,11; ups 3,4,12; wlk 7,8,15;
/// jog 9,16; sit 5,13; std 6,14 are read; block = (subject, activity, trial); raw label = the reference's label map
/// id (dws 0, ups 1, sit 2, std 3, wlk 4, jog 5). The header must name the 12 columns in this order (the reference
/// takes them in file order). No NaN handling.
/// Differences: the reference requires all 24 subjects' files; absent subjects are skipped here (a subject with
/// some files must have all 15). Order: subject, then activity dws, ups, wlk, jog, sit, std, then trial, as in the
/// reference loop. No quirks.
/// </summary>
public sealed partial class MotionSenseLoader : IDatasetLoader
{
    public static readonly string[] ChannelNames =
    [
        "attitude.roll", "attitude.pitch", "attitude.yaw", "gravity.x", "gravity.y", "gravity.z",
        "rotationRate.x", "rotationRate.y", "rotationRate.z",
        "userAcceleration.x", "userAcceleration.y", "userAcceleration.z",
    ];

    /// <summary>Raw label ids: position in this list (the reference's label map).</summary>
    public static readonly string[] Activities = ["dws", "ups", "sit", "std", "wlk", "jog"];

    /// <summary>The trials read, in the reference's loop order.</summary>
    public static readonly (string Activity, int[] Trials)[] Trials =
    [
        ("dws", [1, 2, 11]), ("ups", [3, 4, 12]), ("wlk", [7, 8, 15]), ("jog", [9, 16]), ("sit", [5, 13]), ("std", [6, 14]),
    ];

    [GeneratedRegex(@"^sub_(\d+)\.csv$")] private static partial Regex SubjectFile();

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var dir = DatasetPaths.FindDirectory(root, "MotionSense", "A_DeviceMotion_data", ".");
        // Subjects present: any sub_N.csv in any of the trial folders.
        var subjects = new SortedSet<int>();
        foreach (var (act, trials) in Trials)
        foreach (int t in trials)
        {
            var td = Path.Combine(dir, $"{act}_{t}");
            if (!Directory.Exists(td)) continue;
            foreach (var f in Directory.EnumerateFiles(td, "sub_*.csv"))
            {
                var m = SubjectFile().Match(Path.GetFileName(f));
                if (m.Success) subjects.Add(int.Parse(m.Groups[1].Value));
            }
        }
        DatasetPaths.RequireAny(subjects, dir, "<act>_<trial>/sub_N.csv files of the 15 trials used");
        var files = new List<(string Path, int Subject, string Act, int Trial)>();
        foreach (int s in subjects)
        foreach (var (act, trials) in Trials)
        foreach (int t in trials)
            files.Add((Path.Combine(dir, $"{act}_{t}", $"sub_{s}.csv"), s, act, t));
        return OrderedParallel.Map(files, f => ReadTrial(f.Path, f.Subject, f.Act, f.Trial), progress, "MotionSense");
    }

    internal static Recording ReadTrial(string path, int subject, string act, int trial)
    {
        var file = TextFile.Read(path);
        if (!file.NextLine(out var header))
            throw file.Error("empty file; expected a header row");
        CheckHeader(file, header);
        int label = Array.IndexOf(Activities, act);
        var buf = new SampleBuffer(ChannelNames.Length, file.CountDataLines());
        Span<double> row = stackalloc double[ChannelNames.Length + 1];
        while (file.NextDataLine(out var line))
        {
            TextFields.ParseNumbers(file, line, Separator.Comma, row);
            var dst = buf.AddRow(label);
            row[1..].CopyTo(dst);
            if (Samples.RowHasNaN(dst))
                throw file.Error("missing value; MotionSense files have none (the reference does no NaN handling)");
        }
        return buf.ToRecording(subject, $"{act}_{trial}/sub_{subject}");
    }

    private static void CheckHeader(TextFile file, ReadOnlySpan<byte> header)
    {
        Span<Range> r = stackalloc Range[ChannelNames.Length + 2];
        int n = TextFields.Split(header, Separator.Comma, r);
        bool ok = n == ChannelNames.Length + 1;
        for (int i = 0; ok && i < ChannelNames.Length; i++)
            ok = TextFields.Text(header[r[i + 1]]) == ChannelNames[i];
        if (!ok)
            throw file.Error($"expected the header ',{string.Join(",", ChannelNames)}', found '{TextFields.Show(header)}'");
    }
}
