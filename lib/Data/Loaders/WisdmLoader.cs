namespace TinierHar.Data.Loaders;

/// <summary>
/// WISDM v1.1 raw (key <c>wisdm</c>): <c>WISDM_ar_v1.1_raw.txt</c>, records <c>user,activity,timestamp,x,y,z;</c>
/// (accelerometer, 20 Hz).
/// Mirrors <c>dataloaders/dataloader_WISDM_har.py</c>: channels x, y, z; raw label = the reference's label map id
/// (Walking 0, Jogging 1, Sitting 2, Standing 3, Upstairs 4, Downstairs 5); records with a missing user, activity
/// or x/y/z are dropped (the reference's <c>dropna</c>; the timestamp is not used); a block is a run of consecutive
/// records of one user.
/// Differences: the reference reads a privately "repaired" copy (<c>WISDM_ar_v1.1_raw_repaired.txt</c>, not
/// published) because pandas cannot parse the original's malformed lines. This loader reads the original and repairs
/// while parsing: records are split at every ';' (some lines hold several records), trailing empty fields are
/// ignored, a record with fewer than 6 fields or an empty value counts as missing and is dropped, anything else that
/// is not a number is an error. Both file names are accepted. No quirks.
/// </summary>
public sealed class WisdmLoader : IDatasetLoader
{
    /// <summary>Raw label ids: position in this list (the reference's label map).</summary>
    public static readonly string[] Activities = ["Walking", "Jogging", "Sitting", "Standing", "Upstairs", "Downstairs"];

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var path = DatasetPaths.FindFile(root, "WISDM v1.1",
            "WISDM_ar_v1.1_raw.txt", "WISDM_ar_v1.1/WISDM_ar_v1.1_raw.txt",
            "WISDM_ar_v1.1_raw_repaired.txt", "WISDM_ar_v1.1/WISDM_ar_v1.1_raw_repaired.txt");
        var file = TextFile.Read(path);
        var records = WisdmRawParser.Read(file, out int dropped);
        progress?.Report($"WISDM: {records.Count} records, {dropped} dropped (missing values)");

        var result = new List<Recording>();
        var buf = new SampleBuffer(3, 4096);
        int user = 0, runs = 0;
        foreach (var r in records)
        {
            if (buf.Rows > 0 && r.User != user)
            {
                result.Add(buf.ToRecording(user, $"user{user}_run{++runs}"));
                buf = new SampleBuffer(3, 4096);
            }
            user = r.User;
            int label = Array.IndexOf(Activities, r.Activity);
            if (label < 0)
                throw new TinierHarException($"{path}, line {r.Line}: unknown activity '{r.Activity}'; expected one of {string.Join(", ", Activities)}");
            var row = buf.AddRow(label);
            row[0] = r.X; row[1] = r.Y; row[2] = r.Z;
        }
        if (buf.Rows > 0) result.Add(buf.ToRecording(user, $"user{user}_run{++runs}"));
        DatasetPaths.RequireAny(result, path, "records");
        return result;
    }
}

/// <summary>One WISDM raw record (the timestamp is not kept).</summary>
internal readonly record struct WisdmRecord(int User, string Activity, double X, double Y, double Z, int Line);

/// <summary>
/// Parser for the WISDM raw line format <c>user,activity,timestamp,x,y,z;</c> (v1.1 and the 2019 set share it).
/// </summary>
internal static class WisdmRawParser
{
    public static List<WisdmRecord> Read(TextFile file, out int dropped)
    {
        var list = new List<WisdmRecord>(file.CountDataLines());
        var activities = new List<string>();
        dropped = 0;
        Span<Range> f = stackalloc Range[16];
        while (file.NextDataLine(out var line))
        {
            var rest = line;
            while (!rest.IsEmpty)
            {
                int semi = rest.IndexOf((byte)';');
                var rec = semi < 0 ? rest : rest[..semi];
                rest = semi < 0 ? default : rest[(semi + 1)..];
                if (TextFields.IsBlank(rec)) continue;
                int n = TextFields.Split(rec, Separator.Comma, f);
                while (n > 6 && n <= f.Length && TextFields.IsBlank(rec[f[n - 1]])) n--; // trailing commas
                if (n > 6)
                    throw file.Error($"expected records of 6 comma-separated fields (user,activity,timestamp,x,y,z), found {n} in '{TextFields.Show(rec)}'");
                if (n < 6 || TextFields.IsBlank(rec[f[0]]) || TextFields.IsBlank(rec[f[1]]))
                {
                    dropped++;
                    continue;
                }
                int user = TextFields.ParseInt(file, rec[f[0]], 0);
                double x = TextFields.ParseNumber(file, rec[f[3]], 3);
                double y = TextFields.ParseNumber(file, rec[f[4]], 4);
                double z = TextFields.ParseNumber(file, rec[f[5]], 5);
                if (double.IsNaN(x) || double.IsNaN(y) || double.IsNaN(z))
                {
                    dropped++;
                    continue;
                }
                list.Add(new WisdmRecord(user, Intern(activities, rec[f[1]]), x, y, z, file.LineNumber));
            }
        }
        return list;
    }

    private static string Intern(List<string> known, ReadOnlySpan<byte> field)
    {
        field = field.Trim((byte)' ');
        foreach (var s in known)
            if (s.Length == field.Length && System.Text.Ascii.Equals(field, s))
                return s;
        var t = TextFields.Text(field);
        known.Add(t);
        return t;
    }
}
