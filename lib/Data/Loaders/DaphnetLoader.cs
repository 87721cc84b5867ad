using System.Text.RegularExpressions;

namespace TinierHar.Data.Loaders;

/// <summary>
/// Daphnet Freezing of Gait (key <c>dg</c>): <c>dataset_fog_release/dataset/SxxRyy.txt</c>, 11 space-separated
/// integers per row (time ms, ankle/thigh/trunk acceleration xyz in mg, annotation), 64 Hz.
/// Mirrors <c>dataloaders/dataloader_DG_har.py</c>: channels are file columns 1-9 (column 0, the time, is dropped),
/// the raw label is column 10 (0 = not part of the experiment, dropped later; 1 = no freeze; 2 = freeze); each file
/// is one block; the subject is xx of the file name. No NaN handling (the files have none).
/// Differences: the reference asserts that all 17 files are present; this loader reads whichever
/// <c>SxxRyy.txt</c> files exist, in name order (the reference's order is <c>os.listdir</c>'s). No quirks.
/// </summary>
public sealed partial class DaphnetLoader : IDatasetLoader
{
    public const int ChannelCount = 9;

    [GeneratedRegex(@"^S(\d+)R(\d+)\.txt$", RegexOptions.IgnoreCase)]
    private static partial Regex FileName();

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var dir = DatasetPaths.FindDirectory(root, "Daphnet", "dataset_fog_release/dataset", "dataset", ".");
        var files = Directory.EnumerateFiles(dir, "*.txt")
            .Select(f => (Path: f, M: FileName().Match(Path.GetFileName(f))))
            .Where(x => x.M.Success)
            .Select(x => (x.Path, Subject: int.Parse(x.M.Groups[1].Value), Run: int.Parse(x.M.Groups[2].Value)))
            .OrderBy(x => x.Subject).ThenBy(x => x.Run)
            .ToList();
        DatasetPaths.RequireAny(files, dir, "SxxRyy.txt recordings");
        return OrderedParallel.Map(files, f => ReadFile(f.Path, f.Subject), progress, "Daphnet");
    }

    private static readonly int[] Channels = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    internal static Recording ReadFile(string path, int subject) =>
        NumericTable.Read(path, Separator.Whitespace, 11, Channels, 10, interpolateNaN: false, subject,
            Path.GetFileNameWithoutExtension(path));
}
