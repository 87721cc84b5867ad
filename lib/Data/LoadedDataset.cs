using System.Diagnostics;

namespace TinierHar.Data;

/// <summary>
/// A dataset read from its folder (or from the <see cref="WindowCache"/>), checked, and cut into windows: the
/// equivalent of the reference's <c>BASE_DATA.__init__</c> (<c>load_all_the_data</c> + <c>get_the_sliding_index</c>),
/// without normalising (that happens per fold in <see cref="PreparedFold"/>).
/// </summary>
public sealed class LoadedDataset
{
    IReadOnlyList<FoldSpec>? _folds;

    public LoadedDataset(DatasetInfo info, string root, IReadOnlyList<Recording> recordings, CacheProbe? cache = null, TimeSpan loadTime = default)
    {
        Info = info;
        Root = root;
        Recordings = recordings;
        Cache = cache;
        LoadTime = loadTime;
        Windows = Windowing.Cut(recordings, info);
        SubjectsPresent = recordings.Select(r => r.Subject).Distinct().Order().ToArray();
        SampleCount = recordings.Sum(r => (long)r.Length);
    }

    public DatasetInfo Info { get; }
    /// <summary>The dataset folder that was read.</summary>
    public string Root { get; }
    public IReadOnlyList<Recording> Recordings { get; }
    public WindowIndex Windows { get; }
    /// <summary>What the cache lookup found (null when no cache was used). <see cref="CacheOutcome.Hit"/> = read from the cache.</summary>
    public CacheProbe? Cache { get; }
    public bool FromCache => Cache?.Outcome == CacheOutcome.Hit;
    public TimeSpan LoadTime { get; }
    public IReadOnlyList<int> SubjectsPresent { get; }
    /// <summary>Subjects present in the files but not listed in the registry (they only ever train).</summary>
    public IReadOnlyList<int> UnexpectedSubjects => SubjectsPresent.Where(s => !Info.Subjects.Contains(s)).ToArray();
    /// <summary>Total rows over all recordings.</summary>
    public long SampleCount { get; }

    /// <summary>Every fold of the protocol on this data, runnable or not.</summary>
    public IReadOnlyList<FoldSpec> Folds => _folds ??= Protocol.Folds(Info, Recordings, Windows);

    public IEnumerable<FoldSpec> RunnableFolds => Folds.Where(f => f.Runnable);

    /// <summary>Window indices of the three parts of a fold.</summary>
    public FoldSplit Split(int fold, int seed) => Protocol.Split(Info, Fold(fold), Windows, seed);

    /// <summary>Normalised train/validation/test data of a fold (see <see cref="PreparedFold"/>).</summary>
    public PreparedFold Prepare(int fold, int seed) => PreparedFold.Create(this, fold, seed);

    public FoldSpec Fold(int fold) =>
        fold >= 0 && fold < Folds.Count ? Folds[fold]
            : throw new TinierHarException($"dataset '{Info.Key}' has folds 0..{Folds.Count - 1}, not {fold}");

    /// <summary>
    /// Reads a dataset: from the cache when it holds a valid file for the folder's current content, otherwise with the
    /// dataset's loader (then writes the cache). Throws <see cref="TinierHarException"/> for a missing folder (with
    /// how to get it), bad files, or a loader that is not available.
    /// </summary>
    /// <param name="info">The dataset.</param>
    /// <param name="data">The data folder holding the dataset's folder.</param>
    /// <param name="cache">Cache to use, or null to always parse the original files.</param>
    /// <param name="options">Loader options (default: reference quirks on).</param>
    /// <param name="progress">Receives the loader's progress messages and cache notes.</param>
    public static LoadedDataset Load(DatasetInfo info, DataFolder data, WindowCache? cache, LoaderOptions? options = null, IProgress<string>? progress = null)
    {
        options ??= new LoaderOptions();
        var root = data.Require(info);
        var clock = Stopwatch.StartNew();
        if (cache is not null && IsInside(cache.Directory, root))
            throw new TinierHarException($"cache folder {cache.Directory} is inside the dataset folder {root}; choose another --cache");
        byte[]? key = null;
        CacheProbe? probe = null;
        IReadOnlyList<Recording>? recordings = null;
        if (cache is not null)
        {
            key = WindowCache.ComputeKey(info, root, options);
            probe = cache.TryRead(info, options, key, out recordings);
            if (probe.Outcome is CacheOutcome.Stale or CacheOutcome.Corrupt)
                progress?.Report($"{info.Key}: cache {probe.Outcome.ToString().ToLowerInvariant()} ({probe.Reason}), rebuilding");
        }
        if (recordings is null)
        {
            var loader = info.CreateLoader();
            recordings = loader.Load(root, options, progress);
            Validate(info, recordings);
            if (cache is not null)
            {
                try { cache.Write(info, options, key!, recordings); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    progress?.Report($"{info.Key}: cache not written ({e.Message})");
                }
            }
        }
        return new LoadedDataset(info, root, recordings, probe, clock.Elapsed);
    }

    /// <summary>
    /// Checks a loader's output: channel count, sample array sizes, finite values, labels in the label map.
    /// Throws <see cref="TinierHarException"/> naming the block, row and channel.
    /// </summary>
    public static void Validate(DatasetInfo info, IReadOnlyList<Recording> recordings)
    {
        var mapper = new LabelMapper(info);
        foreach (var r in recordings)
        {
            if (r.Channels != info.C)
                throw new TinierHarException($"dataset '{info.Key}', block '{r.Block}': {r.Channels} channels, expected {info.C}");
            if (r.Samples.Length != (long)r.Labels.Length * r.Channels)
                throw new TinierHarException($"dataset '{info.Key}', block '{r.Block}': {r.Samples.Length} samples for {r.Labels.Length} rows × {r.Channels} channels");
            var x = r.Samples;
            for (int i = 0; i < x.Length; i++)
                if (!float.IsFinite(x[i]))
                    throw new TinierHarException($"dataset '{info.Key}', block '{r.Block}', row {i / r.Channels}, channel {info.ChannelNames[i % r.Channels]}: value {x[i]} is not finite");
            for (int i = 0; i < r.Labels.Length; i++)
                if (mapper.PositionOf(r.Labels[i]) < 0)
                    throw new TinierHarException($"dataset '{info.Key}', block '{r.Block}', row {i}: raw label id {r.Labels[i]} is not in the label map");
        }
    }

    static bool IsInside(string path, string folder)
    {
        var p = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var f = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return p.StartsWith(f, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }
}
