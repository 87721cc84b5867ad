using System.Text.RegularExpressions;
using TinierHar.Data.Formats;

namespace TinierHar.Data.Loaders;

/// <summary>
/// USC-HAD (key <c>uschad</c>): <c>SubjectN/aXtY.mat</c> (MATLAB 5), variable <c>sensor_readings</c> N×6 (acc xyz
/// in g, gyro xyz in dps), 100 Hz.
/// Mirrors <c>dataloaders/dataloader_USCHAD_har.py</c>: the 6 columns are the channels; raw label = activity
/// number X taken from the FILE NAME (1..12); block = (subject, activity, trial); no NaN handling.
/// Metadata quirk (of the dataset, not the code): <c>Subject14/a3t2.mat</c> says activity_number 2
/// ("walking-left") inside, although its name says a3; the reference never reads the metadata, and neither does
/// this loader, with either <see cref="LoaderOptions.ReferenceQuirks"/> setting (which of the two is right is not
/// known). Other metadata oddities (a misspelt field, extra comments) are irrelevant for the same reason.
/// Differences: the reference opens every one of 14×12×5 files and fails on a missing one; this loader reads the
/// aXtY.mat files that exist, ordered by subject, activity, trial (the reference's loop order). No code quirks.
/// </summary>
public sealed partial class UscHadLoader : IDatasetLoader
{
    public const int ChannelCount = 6;

    [GeneratedRegex(@"^Subject(\d+)$")] private static partial Regex SubjectDir();
    [GeneratedRegex(@"^a(\d+)t(\d+)\.mat$")] private static partial Regex TrialFile();

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var dir = DatasetPaths.FindDirectory(root, "USC-HAD", "USC-HAD", ".");
        var files = new List<(string Path, int Subject, int Activity, int Trial)>();
        foreach (var sd in Directory.EnumerateDirectories(dir))
        {
            var sm = SubjectDir().Match(Path.GetFileName(sd));
            if (!sm.Success) continue;
            foreach (var f in Directory.EnumerateFiles(sd, "*.mat"))
            {
                var m = TrialFile().Match(Path.GetFileName(f));
                if (m.Success)
                    files.Add((f, int.Parse(sm.Groups[1].Value), int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)));
            }
        }
        files.Sort((a, b) => (a.Subject, a.Activity, a.Trial).CompareTo((b.Subject, b.Activity, b.Trial)));
        DatasetPaths.RequireAny(files, dir, "SubjectN/aXtY.mat files");
        return OrderedParallel.Map(files, f =>
            MatRecordings.Read(f.Path, "sensor_readings", ChannelCount, f.Subject, f.Activity,
                $"Subject{f.Subject}/a{f.Activity}t{f.Trial}"), progress, "USC-HAD");
    }
}

/// <summary>A MAT-file numeric matrix (rows = samples) as one recording with one raw label.</summary>
internal static class MatRecordings
{
    public static Recording Read(string path, string variable, int channels, int subject, int label, string block)
    {
        var m = MatFile.Read(path, variable).GetMatrix(variable);
        if (m.Cols != channels)
            throw new TinierHarException($"{path}: variable '{variable}' is {m.Rows}x{m.Cols}, expected N x {channels}");
        var labels = new int[m.Rows];
        Array.Fill(labels, label);
        var rec = Samples.ToRecording(subject, block, m.Data, channels, labels);
        if (Samples.HasNaN(rec.Samples))
            throw new TinierHarException($"{path}: variable '{variable}' contains NaN; the reference does no NaN handling for this dataset");
        return rec;
    }
}
