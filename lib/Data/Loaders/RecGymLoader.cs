namespace TinierHar.Data.Loaders;

/// <summary>
/// RecGym (key <c>recgym</c>, UCI dataset 1128): <c>RecGym.csv</c>, a header row
/// (<c>Subject,Position,Session,A_x,A_y,A_z,G_x,G_y,G_z,C_1,Workout</c>) and one row per sample at 20 Hz for each of
/// three sensor positions.
/// Mirrors <c>dataloaders/dataloader_RECGYM_har.py</c>: only rows whose Position is exactly "wrist"; channels A_x,
/// A_y, A_z, G_x, G_y, G_z, C_1 (body capacitance); rows with a missing Subject, channel or Workout are dropped
/// (<c>dropna</c>); a block is a run of consecutive kept rows of one subject; raw label = the reference's label map
/// id (Adductor 0, ArmCurl 1, BenchPress 2, LegCurl 3, LegPress 4, Null 5, Riding 6, RopeSkipping 7, Running 8,
/// Squat 9, StairClimber 10, Walking 11). 'Null' is a class, not a missing value: pandas' default NA spellings
/// include "NULL" and "null" but not "Null", so the reference keeps it.
/// Differences: columns are found by their header names (the reference uses names too, plus positions for the
/// subset); an unknown Workout name is an error instead of a silent NaN label. No quirks.
/// </summary>
public sealed class RecGymLoader : IDatasetLoader
{
    /// <summary>Raw label ids: position in this list (the reference's label map).</summary>
    public static readonly string[] Workouts =
    [
        "Adductor", "ArmCurl", "BenchPress", "LegCurl", "LegPress", "Null", "Riding", "RopeSkipping", "Running",
        "Squat", "StairClimber", "Walking",
    ];

    public static readonly string[] ChannelNames = ["A_x", "A_y", "A_z", "G_x", "G_y", "G_z", "C_1"];

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var path = DatasetPaths.FindFile(root, "RecGym", "RecGym.csv", "RecGym/RecGym.csv");
        var file = TextFile.Read(path);
        if (!file.NextLine(out var header))
            throw file.Error("empty file; expected a header row");
        var names = TextFields.SplitToStrings(header, Separator.Comma);
        var headerText = string.Join(",", names);
        int Col(string name)
        {
            int i = names.IndexOf(name);
            if (i < 0)
                throw file.Error($"header has no column '{name}'; expected Subject, Position, A_x .. C_1, Workout, found '{headerText}'");
            return i;
        }
        int subjectCol = Col("Subject"), positionCol = Col("Position"), workoutCol = Col("Workout");
        var channelCols = ChannelNames.Select(Col).ToArray();

        var result = new List<Recording>();
        SampleBuffer? buf = null;
        int subject = 0, runs = 0, dropped = 0;
        var f = new Range[names.Count + 1];
        while (file.NextDataLine(out var line))
        {
            int n = TextFields.Split(line, Separator.Comma, f);
            if (n != names.Count)
                throw file.Error($"expected {names.Count} comma-separated fields as in the header, found {n}");
            if (!line[f[positionCol]].Trim((byte)' ').SequenceEqual("wrist"u8)) continue;
            var workout = line[f[workoutCol]].Trim((byte)' ');
            var subj = line[f[subjectCol]];
            if (workout.IsEmpty || TextFields.IsBlank(subj))
            {
                dropped++;
                continue;
            }
            int label = Array.IndexOf(Workouts, TextFields.Text(workout));
            if (label < 0)
                throw file.Error($"column {workoutCol + 1}: unknown Workout '{TextFields.Show(workout)}'; expected one of {string.Join(", ", Workouts)}");
            int s = TextFields.ParseInt(file, subj, subjectCol);
            if (buf != null && s != subject)
            {
                result.Add(buf.ToRecording(subject, $"subject{subject}_run{++runs}"));
                buf = null;
            }
            subject = s;
            buf ??= new SampleBuffer(ChannelNames.Length, 4096);
            var row = buf.AddRow(label);
            for (int c = 0; c < channelCols.Length; c++)
                row[c] = TextFields.ParseNumber(file, line[f[channelCols[c]]], channelCols[c]);
            if (Samples.RowHasNaN(row))
            {
                buf.RemoveLastRow();
                dropped++;
            }
        }
        if (buf is { Rows: > 0 }) result.Add(buf.ToRecording(subject, $"subject{subject}_run{++runs}"));
        progress?.Report($"RecGym: {result.Sum(r => r.Length)} wrist rows in {result.Count} blocks, {dropped} dropped (missing values)");
        DatasetPaths.RequireAny(result, path, "wrist rows");
        return result;
    }
}
