using System.Text.RegularExpressions;

namespace TinierHar.Data.Loaders;

/// <summary>
/// MHEALTH (key <c>mhealth</c>): <c>MHEALTHDATASET/mHealth_subjectN.log</c>, 24 tab-separated columns at 50 Hz:
/// chest acc xyz, ECG lead 1, ECG lead 2, left-ankle acc/gyro/mag xyz, right-lower-arm acc/gyro/mag xyz, label.
/// Mirrors <c>dataloaders/dataloader_MHEALTH_har.py</c> as docs/reference.md section 4 describes it: the 23 signal columns in file order
/// are the channels (including both ECG leads); raw label = column 24 (0 = null, dropped later; 1..12 activities);
/// NaN are linearly interpolated per file in both directions; each subject file is one block.
/// Differences: subjects are read in number order; absent subjects are skipped. No quirks.
/// </summary>
public sealed partial class MhealthLoader : IDatasetLoader
{
    public const int ChannelCount = 23;

    [GeneratedRegex(@"^mHealth_subject(\d+)\.log$", RegexOptions.IgnoreCase)] private static partial Regex SubjectFile();

    private static readonly int[] Channels = Enumerable.Range(0, ChannelCount).ToArray();

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var dir = DatasetPaths.FindDirectory(root, "MHEALTH", "MHEALTHDATASET", ".");
        var files = Directory.EnumerateFiles(dir, "*.log")
            .Select(f => (Path: f, M: SubjectFile().Match(Path.GetFileName(f))))
            .Where(x => x.M.Success)
            .Select(x => (x.Path, Subject: int.Parse(x.M.Groups[1].Value)))
            .OrderBy(x => x.Subject)
            .ToList();
        DatasetPaths.RequireAny(files, dir, "mHealth_subjectN.log files");
        return OrderedParallel.Map(files, f => NumericTable.Read(f.Path, Separator.Tab, 24, Channels, 23,
            interpolateNaN: true, f.Subject, $"mHealth_subject{f.Subject}"), progress, "MHEALTH");
    }
}
