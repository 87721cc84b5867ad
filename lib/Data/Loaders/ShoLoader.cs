using System.Text.RegularExpressions;

namespace TinierHar.Data.Loaders;

/// <summary>
/// Shoaib et al. 2014 (UTwente "Sensors Activity Recognition DataSet", key <c>sho</c>): <c>Participant_N.csv</c>
/// (in <c>DataSet/</c> as the rar unpacks, or any folder below the root), 50 Hz. Two header rows (position names,
/// then column names), then rows of 70 comma-separated fields: for each of the 5 phones Left_pocket, Right_pocket,
/// Wrist, Upper_arm, Belt a group of 14 columns starting at 14·g: time_stamp, Ax Ay Az (acc), Lx Ly Lz (linear acc),
/// Gx Gy Gz (gyro), Mx My Mz (mag), and a 14th column that separates the groups (ignored); for the Belt group that
/// 14th column (field 69) is the activity name.
/// Mirrors <c>dataloaders/dataloader_SHO_har.py</c> (used columns 1-12, 15-26, 29-40, 43-54, 57-68 and 69): the 60
/// sensor columns in file order are the channels; raw label = index in walking 0, standing 1, jogging 2, sitting
/// 3, biking 4, upstairs 5, downstairs 6, with the file's misspelling "upsatirs" read as upstairs (the reference does
/// the same); NaN (empty fields) linearly interpolated per file in both directions; one block per participant.
/// Differences: the file layout above is reconstructed from the reference's column indices and other public
/// parsers (the original file was not available here); a row with more than 70 fields is accepted only if the extra
/// fields are empty; an empty or unknown activity name is an error. No quirks.
/// </summary>
public sealed partial class ShoLoader : IDatasetLoader
{
    public const int FieldCount = 70;
    public const int LabelColumn = 69;

    public static readonly string[] Activities = ["walking", "standing", "jogging", "sitting", "biking", "upstairs", "downstairs"];
    public static readonly string[] PositionNames = ["Left_pocket", "Right_pocket", "Wrist", "Upper_arm", "Belt"];

    /// <summary>0-based file columns of the 60 channels.</summary>
    public static readonly int[] ChannelColumns =
        Enumerable.Range(0, 5).SelectMany(g => Enumerable.Range(14 * g + 1, 12)).ToArray();

    [GeneratedRegex(@"^Participant_(\d+)\.csv$", RegexOptions.IgnoreCase)] private static partial Regex ParticipantFile();

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        if (!Directory.Exists(root))
            throw new TinierHarException($"{root}: Shoaib dataset folder not found");
        var files = Directory.EnumerateFiles(root, "*.csv", SearchOption.AllDirectories)
            .Select(f => (Path: f, M: ParticipantFile().Match(Path.GetFileName(f))))
            .Where(x => x.M.Success)
            .Select(x => (x.Path, Subject: int.Parse(x.M.Groups[1].Value)))
            .OrderBy(x => x.Subject)
            .ToList();
        DatasetPaths.RequireAny(files, root, "Participant_N.csv files (in it or a folder below it)");
        var twice = files.GroupBy(f => f.Subject).FirstOrDefault(g => g.Count() > 1);
        if (twice != null)
            throw new TinierHarException($"{root}: participant {twice.Key} found twice: {string.Join(", ", twice.Select(f => f.Path))}");
        return OrderedParallel.Map(files, f => ReadParticipant(f.Path, f.Subject), progress, "Shoaib");
    }

    internal static Recording ReadParticipant(string path, int subject)
    {
        var file = TextFile.Read(path);
        for (int h = 0; h < 2; h++)
            if (!file.NextLine(out _))
                throw file.Error("expected two header rows (positions, column names)");
        var buf = new SampleBuffer(ChannelColumns.Length, file.CountDataLines());
        Span<Range> f = stackalloc Range[FieldCount + 8];
        while (file.NextDataLine(out var line))
        {
            int n = TextFields.Split(line, Separator.Comma, f);
            if (n < FieldCount || n > f.Length)
                throw file.Error($"expected {FieldCount} comma-separated fields, found {n}");
            for (int k = FieldCount; k < n; k++)
                if (!TextFields.IsBlank(line[f[k]]))
                    throw file.Error($"expected {FieldCount} comma-separated fields, found {n} (field {k + 1} is not empty)");
            var name = line[f[LabelColumn]].Trim((byte)' ');
            int label = Array.IndexOf(Activities, TextFields.Text(name));
            if (name.SequenceEqual("upsatirs"u8)) label = Array.IndexOf(Activities, "upstairs");
            if (label < 0)
                throw file.Error($"column {LabelColumn + 1}: expected an activity name ({string.Join(", ", Activities)} or upsatirs), found '{TextFields.Show(name)}'");
            var row = buf.AddRow(label);
            for (int c = 0; c < ChannelColumns.Length; c++)
                row[c] = TextFields.ParseNumber(file, line[f[ChannelColumns[c]]], ChannelColumns[c]);
        }
        Samples.InterpolateNaNBothDirections(buf.Values, buf.Rows, buf.Channels);
        return buf.ToRecording(subject, $"Participant_{subject}");
    }
}
