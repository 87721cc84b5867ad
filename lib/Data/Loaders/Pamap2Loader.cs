using System.Text.RegularExpressions;

namespace TinierHar.Data.Loaders;

/// <summary>
/// PAMAP2 Protocol (key <c>pamap2</c>): <c>PAMAP2_Dataset/Protocol/subject10X.dat</c>, 54 space-separated columns at
/// 100 Hz (timestamp, activity id, heart rate, then 17 columns for each of the hand, chest and ankle IMUs), NaN
/// written as "NaN".
/// Mirrors <c>dataloaders/dataloader_PAMAP_har.py</c>: channels per IMU are acc ±16 g xyz and gyro xyz (0-based
/// file columns 4-6, 10-12 hand; 21-23, 27-29 chest; 38-40, 44-46 ankle), 18 in all; raw label = column 1 (0 =
/// other, dropped later); NaN linearly interpolated per file in both directions; subject = X; one block per subject;
/// then only every 3rd row is kept (≈33.3 Hz).
/// Quirk (reference, kept when <see cref="LoaderOptions.ReferenceQuirks"/> is true): the reference concatenates all
/// files and then keeps rows 0, 3, 6, ... of the concatenation, so each file after the first starts at an offset
/// that depends on the lengths of the files before it. The files are taken in subject order here (the reference
/// uses <c>os.listdir</c>'s order, which is not defined; with a subset of subjects the offsets differ from a full
/// run). Corrected (false): every file is downsampled from its own first row.
/// </summary>
public sealed partial class Pamap2Loader : IDatasetLoader
{
    public const int ColumnCount = 54;
    public const int Step = 3;

    /// <summary>0-based file columns of the 18 channels: hand, chest, ankle × (acc16 xyz, gyro xyz).</summary>
    public static readonly int[] ChannelColumns = [4, 5, 6, 10, 11, 12, 21, 22, 23, 27, 28, 29, 38, 39, 40, 44, 45, 46];

    [GeneratedRegex(@"^subject(\d+)\.dat$", RegexOptions.IgnoreCase)] private static partial Regex SubjectFile();

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var dir = DatasetPaths.FindDirectory(root, "PAMAP2", "PAMAP2_Dataset/Protocol", "Protocol", ".");
        var files = Directory.EnumerateFiles(dir, "subject*.dat")
            .Select(f => (Path: f, M: SubjectFile().Match(Path.GetFileName(f))))
            .Where(x => x.M.Success)
            .Select(x => (x.Path, Number: int.Parse(x.M.Groups[1].Value)))
            .OrderBy(x => x.Number)
            .ToList();
        DatasetPaths.RequireAny(files, dir, "subject10X.dat files");
        var full = OrderedParallel.Map(files, f => NumericTable.Read(f.Path, Separator.Whitespace, ColumnCount,
            ChannelColumns, 1, interpolateNaN: true, f.Number % 100, $"subject{f.Number}"), progress, "PAMAP2");
        return Downsample(full, options.ReferenceQuirks);
    }

    /// <summary>Keeps every 3rd row: across the concatenation (reference) or per recording (corrected).</summary>
    internal static List<Recording> Downsample(IReadOnlyList<Recording> recordings, bool acrossFiles)
    {
        var result = new List<Recording>(recordings.Count);
        long before = 0;
        foreach (var r in recordings)
        {
            int offset = acrossFiles ? (int)((Step - before % Step) % Step) : 0;
            result.Add(Samples.EveryNthRow(r, Step, offset));
            before += r.Length;
        }
        return result;
    }
}
