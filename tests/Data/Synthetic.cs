using TinierHar.Data;
using TinierHar.Data.Download;

namespace TinierHar.Tests.Data;

/// <summary>Small synthetic datasets, recordings and loaders for the data-layer tests.</summary>
internal static class Synthetic
{
    /// <summary>A registry-like entry with T, C channels, the given label map (raw ids in order) and LOCV groups.</summary>
    public static DatasetInfo Info(int t = 4, int c = 2, int[]? labelMap = null, int[]? dropped = null,
        int[][]? groups = null, int[]? subjects = null, CvScheme scheme = CvScheme.Locv, Func<IDatasetLoader>? loader = null, string key = "synthetic")
    {
        labelMap ??= [0, 1, 2];
        subjects ??= [1, 2, 3, 4];
        groups ??= scheme == CvScheme.Locv ? [[1, 2], [3, 4]] : [];
        return new DatasetInfo
        {
            Download = new DatasetDownload { Key = key, Folder = "Synthetic", Marker = "Synthetic/-", Manual = "synthetic" }, Name = "Synthetic",
            SamplingHz = t, WindowSeconds = 1, WindowT = t,
            ChannelNames = Enumerable.Range(0, c).Select(i => $"ch{i}").ToArray(),
            LabelMap = labelMap.Select(id => new LabelEntry(id, $"label{id}")).ToArray(),
            DroppedRawIds = dropped ?? [],
            Subjects = subjects, Scheme = scheme,
            TestGroups = groups.Select(g => (IReadOnlyList<int>)g).ToArray(),
            SocvFolds = scheme == CvScheme.Socv ? 5 : 0,
            Homepage = "-", Layout = "-", License = "-", Citation = "-",
            LoaderFactory = loader ?? (() => new NoLoader()),
        };
    }

    /// <summary>A recording whose sample (row i, channel j) is <paramref name="value"/>(i, j).</summary>
    public static Recording Rec(int subject, int[] labels, int c = 2, Func<int, int, float>? value = null, string? block = null)
    {
        value ??= (i, j) => subject * 100 + i + 0.5f * j;
        var x = new float[labels.Length * c];
        for (int i = 0; i < labels.Length; i++)
            for (int j = 0; j < c; j++) x[i * c + j] = value(i, j);
        return new Recording(subject, block ?? $"s{subject}-{Guid.NewGuid():N}"[..12], x, c, labels);
    }

    public static int[] Repeat(int label, int n) => Enumerable.Repeat(label, n).ToArray();
}

/// <summary>
/// A loader over a synthetic dataset folder: every <c>*.csv</c> file is one recording ("subject,label,x0,x1,..." per
/// line). Counts its calls, so cache hits can be told from misses.
/// </summary>
internal sealed class CsvFolderLoader(int channels) : IDatasetLoader
{
    int _calls;
    public int Calls => _calls;

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        Interlocked.Increment(ref _calls);
        var list = new List<Recording>();
        foreach (var f in Directory.EnumerateFiles(root, "*.csv").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(f).Where(l => l.Length > 0).ToArray();
            var x = new float[lines.Length * channels];
            var y = new int[lines.Length];
            int subject = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                var p = lines[i].Split(',');
                subject = int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture);
                y[i] = int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture);
                for (int j = 0; j < channels; j++) x[i * channels + j] = float.Parse(p[2 + j], System.Globalization.CultureInfo.InvariantCulture);
            }
            list.Add(new Recording(subject, Path.GetFileName(f), x, channels, y));
        }
        return list;
    }

    /// <summary>Writes a synthetic dataset folder: per subject one file of <paramref name="rows"/> rows.</summary>
    public static void WriteFolder(string root, int[] subjects, int rows, int channels, int seed = 1)
    {
        Directory.CreateDirectory(root);
        var rng = new Random(seed);
        foreach (var s in subjects)
        {
            using var w = new StreamWriter(Path.Combine(root, $"subject{s:00}.csv"));
            for (int i = 0; i < rows; i++)
            {
                int label = (i / 7) % 3;
                var vals = Enumerable.Range(0, channels).Select(_ => (rng.NextDouble() * 10 - 5).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteLine($"{s},{label},{string.Join(",", vals)}");
            }
        }
    }
}

/// <summary>The loader of a synthetic dataset built without one: windowing and fold tests never load files.</summary>
internal sealed class NoLoader : IDatasetLoader
{
    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null) =>
        throw new InvalidOperationException("synthetic dataset without a loader");
}
