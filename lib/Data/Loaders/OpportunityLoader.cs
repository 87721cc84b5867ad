using System.Text.RegularExpressions;

namespace TinierHar.Data.Loaders;

/// <summary>
/// OPPORTUNITY (key <c>oppo</c>): <c>OpportunityUCIDataset/dataset/S{1-4}-ADL{1-5}.dat</c> and
/// <c>S{1-4}-Drill.dat</c>, 250 space-separated columns per row at 30 Hz, missing values written as "NaN".
/// Mirrors <c>dataloaders/dataloader_OPPO_har.py</c>. The 77 channels, as 0-based file columns (column_names.txt
/// numbers columns from 1, so add 1 to compare):
/// <list type="bullet">
/// <item>37-45 InertialMeasurementUnit BACK acc xyz, gyro xyz, magnetic xyz (column_names 38-46);</item>
/// <item>50-58 IMU RUA (51-59), 63-71 IMU RLA (64-72), 76-84 IMU LUA (77-85), 89-97 IMU LLA (90-98), each the same
/// 9 values (the 4 quaternion columns after each IMU are skipped);</item>
/// <item>102-117 IMU L-SHOE: Euler xyz, Nav_A xyz, Body_A xyz, AngVelBodyFrame xyz, AngVelNavFrame xyz, Compass
/// (103-118); 118-133 IMU R-SHOE, the same 16 (119-134).</item>
/// </list>
/// Raw label = 0-based column 249 = column_names 250, ML_Both_Arms (0 = Null, kept as a class; 406516 Open Door 1,
/// ...); NaN linearly interpolated per file in both directions (a column without any value stays NaN, as in
/// pandas); each file is one block; subject = the digit after S.
/// Differences: the reference asserts all 24 files are present; absent files are skipped here. Files are read in
/// subject, ADL1-5, Drill order. No quirks.
/// </summary>
public sealed partial class OpportunityLoader : IDatasetLoader
{
    public const int ColumnCount = 250;
    public const int LabelColumn = 249;

    /// <summary>0-based file columns of the 77 channels, in channel order.</summary>
    public static readonly int[] ChannelColumns =
    [
        ..Enumerable.Range(37, 9), ..Enumerable.Range(50, 9), ..Enumerable.Range(63, 9),
        ..Enumerable.Range(76, 9), ..Enumerable.Range(89, 9), ..Enumerable.Range(102, 32),
    ];

    [GeneratedRegex(@"^S(\d+)-(ADL(\d+)|Drill)\.dat$", RegexOptions.IgnoreCase)] private static partial Regex RunFile();

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var dir = DatasetPaths.FindDirectory(root, "OPPORTUNITY", "OpportunityUCIDataset/dataset", "dataset", ".");
        var files = Directory.EnumerateFiles(dir, "*.dat")
            .Select(f => (Path: f, M: RunFile().Match(Path.GetFileName(f))))
            .Where(x => x.M.Success)
            .Select(x => (x.Path, Subject: int.Parse(x.M.Groups[1].Value),
                Run: x.M.Groups[3].Success ? int.Parse(x.M.Groups[3].Value) : int.MaxValue))
            .OrderBy(x => x.Subject).ThenBy(x => x.Run)
            .ToList();
        DatasetPaths.RequireAny(files, dir, "S<n>-ADL<k>.dat / S<n>-Drill.dat files");
        var recs = OrderedParallel.Map(files, f => NumericTable.Read(f.Path, Separator.Whitespace, ColumnCount,
            ChannelColumns, LabelColumn, interpolateNaN: true, f.Subject, Path.GetFileNameWithoutExtension(f.Path)),
            progress, "OPPORTUNITY");
        foreach (var r in recs)
            if (Samples.HasNaN(r.Samples))
                progress?.Report($"OPPORTUNITY: {r.Block} has a channel without any value; it stays NaN as in the reference");
        return recs;
    }
}
