using System.Globalization;

namespace TinierHar.Tests.Data;

/// <summary>
/// Facts of the real HAPT RawData copy computed WITHOUT the library: the files are listed and counted with
/// <see cref="File.ReadLines(string)"/>, <c>labels.txt</c> is split by hand and written row by row, and windows are cut
/// by a naive loop over the documented rule (docs: T = 200 rows, step 100, cut inside each experiment, label = the most
/// frequent per-row activity id with ties to the smallest id, windows whose label is 0 dropped). The tests compare the
/// loader, the windowing and the folds against these numbers, so a bug in the library cannot hide in its own expectations.
/// </summary>
internal sealed class HaptFacts
{
    public const int T = 200, Step = 100, Classes = 12;

    /// <summary>One experiment: its acc/gyro files, user, row count and per-row activity ids (0 = unlabelled).</summary>
    public sealed record Experiment(int Exp, int User, string AccPath, string GyroPath, int Rows, int[] Labels)
    {
        public string Block => $"exp{Exp:00}_user{User:00}";
    }

    /// <summary>A labels.txt row: experiment, user, activity, start, end.</summary>
    public readonly record struct Segment(int Exp, int User, int Activity, int Start, int End);

    static readonly Dictionary<(string, bool), HaptFacts> Computed = new();

    public required IReadOnlyList<Experiment> Experiments { get; init; }
    public required IReadOnlyList<Segment> Segments { get; init; }

    /// <summary>Windows per class (index = activity id − 1).</summary>
    public required int[] WindowsPerClass { get; init; }

    /// <summary>Windows per user.</summary>
    public required IReadOnlyDictionary<int, int> WindowsPerSubject { get; init; }

    public int Windows => WindowsPerClass.Sum();
    public long SampleCount => Experiments.Sum(e => (long)e.Rows);

    /// <summary>
    /// The facts of the RawData folder below <paramref name="haptRoot"/>. <paramref name="referenceRows"/>: labels.txt's
    /// start/end read as 0-based inclusive rows (the reference's reading); false: 1-based inclusive.
    /// </summary>
    public static HaptFacts Of(string haptRoot, bool referenceRows = true)
    {
        lock (Computed)
        {
            if (!Computed.TryGetValue((haptRoot, referenceRows), out var facts))
                Computed[(haptRoot, referenceRows)] = facts = Compute(haptRoot, referenceRows);
            return facts;
        }
    }

    static HaptFacts Compute(string haptRoot, bool referenceRows)
    {
        var raw = Path.Combine(haptRoot, "RawData");
        var segments = File.ReadLines(Path.Combine(raw, "labels.txt"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray())
            .Select(v => new Segment(v[0], v[1], v[2], v[3], v[4]))
            .ToList();
        var experiments = new List<Experiment>();
        foreach (var acc in Directory.GetFiles(raw, "acc_exp*_user*.txt"))
        {
            // acc_exp01_user01.txt
            var name = Path.GetFileNameWithoutExtension(acc);
            var parts = name.Split('_');
            int exp = int.Parse(parts[1]["exp".Length..], CultureInfo.InvariantCulture);
            int user = int.Parse(parts[2]["user".Length..], CultureInfo.InvariantCulture);
            var gyro = Path.Combine(raw, "gyro" + Path.GetFileName(acc)["acc".Length..]);
            int rows = File.ReadLines(acc).Count(l => l.Trim().Length > 0);
            var labels = new int[rows];
            foreach (var s in segments.Where(s => s.Exp == exp))
            {
                int from = referenceRows ? s.Start : s.Start - 1, to = referenceRows ? s.End : s.End - 1;
                for (int r = from; r <= to && r < rows; r++) labels[r] = s.Activity;
            }
            experiments.Add(new Experiment(exp, user, acc, gyro, rows, labels));
        }
        experiments.Sort((a, b) => a.Exp.CompareTo(b.Exp));

        var perClass = new int[Classes];
        var perSubject = new Dictionary<int, int>();
        foreach (var e in experiments)
            for (int start = 0; start + T <= e.Rows; start += Step)
            {
                var count = new int[Classes + 1];
                for (int r = start; r < start + T; r++) count[e.Labels[r]]++;
                int label = 0;
                for (int a = 1; a <= Classes; a++) if (count[a] > count[label]) label = a;
                if (label == 0) continue;
                perClass[label - 1]++;
                perSubject[e.User] = perSubject.GetValueOrDefault(e.User) + 1;
            }
        return new HaptFacts { Experiments = experiments, Segments = segments, WindowsPerClass = perClass, WindowsPerSubject = perSubject };
    }

    /// <summary>The first row of a signal file as floats (for spot checks of the loader's parsing).</summary>
    public static float[] FirstRow(string path) =>
        File.ReadLines(path).First(l => l.Trim().Length > 0).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => (float)double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Every row of an acc/gyro pair, side by side (acc xyz, gyro xyz), as floats.</summary>
    public static float[] Samples(Experiment e)
    {
        static IEnumerable<double[]> Rows(string p) => File.ReadLines(p).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        return Rows(e.AccPath).Zip(Rows(e.GyroPath), (a, g) => a.Concat(g)).SelectMany(r => r).Select(v => (float)v).ToArray();
    }
}
