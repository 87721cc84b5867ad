namespace TinierHar.Data;

/// <summary>Whether a fold can be run on the data at hand.</summary>
public enum FoldStatus
{
    Ok,
    /// <summary>None of the fold's test subjects is in the data folder (e.g. a partial copy).</summary>
    NoTestSubjects,
    /// <summary>Test subjects are present but give no window.</summary>
    NoTestWindows,
    /// <summary>Fewer than 2 training+validation windows (every fold needs at least one training window).</summary>
    NoTrainingWindows,
}

/// <summary>
/// One cross-validation fold of a dataset on the data actually loaded: the registry's test group, which of its
/// subjects are present, which present subjects train, and the window counts of each part.
/// </summary>
/// <param name="Index">0-based fold number (the reference's <c>cv_{i}</c>).</param>
/// <param name="TestGroup">LOCV: the registry's test subject group; SOCV: empty.</param>
/// <param name="TestSubjects">Subjects whose windows are tested (LOCV: present members of the group; SOCV: all).</param>
/// <param name="TrainSubjects">Subjects whose windows train/validate and whose rows fit the normalisation.</param>
/// <param name="TrainWindows">Training windows: int(0.9·n) of the n training+validation windows.</param>
/// <param name="ValidationWindows">Validation windows: the rest of the n.</param>
/// <param name="TestWindows">Test windows.</param>
/// <param name="Status">Whether the fold can run on this data.</param>
public sealed record FoldSpec(int Index, IReadOnlyList<int> TestGroup, IReadOnlyList<int> TestSubjects, IReadOnlyList<int> TrainSubjects,
    int TrainWindows, int ValidationWindows, int TestWindows, FoldStatus Status)
{
    public bool Runnable => Status == FoldStatus.Ok;

    /// <summary>Why the fold is skipped, for messages; null when runnable.</summary>
    public string? SkipReason => Status switch
    {
        FoldStatus.Ok => null,
        FoldStatus.NoTestSubjects => $"none of the test subjects [{string.Join(",", TestGroup)}] is in the data folder",
        FoldStatus.NoTestWindows => $"the test subjects [{string.Join(",", TestSubjects)}] give no window",
        FoldStatus.NoTrainingWindows => $"only {TrainWindows + ValidationWindows} training+validation window(s) (subjects [{string.Join(",", TrainSubjects)}])",
        _ => Status.ToString(),
    };
}

/// <summary>Window indices (into <see cref="WindowIndex"/>) of the three parts of one fold.</summary>
public sealed record FoldSplit(FoldSpec Fold, int[] Train, int[] Validation, int[] Test);

/// <summary>Per-channel z-score statistics: mean and SAMPLE standard deviation (ddof=1) over the fitted rows.</summary>
/// <param name="Mean">Per-channel mean.</param>
/// <param name="Std">Per-channel sample standard deviation (ddof = 1), without the epsilon.</param>
/// <param name="Rows">Number of rows fitted.</param>
public sealed record Normalization(double[] Mean, double[] Std, long Rows)
{
    /// <summary>Applies (x − mean) / (std + eps), computed in double, stored as float.</summary>
    public float Apply(float x, int channel) => (float)((x - Mean[channel]) / (Std[channel] + Protocol.Epsilon));
}

/// <summary>
/// The reference's evaluation protocol (docs/reference.md sections 4 (normalisation) and 5; <c>dataloader_base.py</c> <c>update_train_val_test_keys</c>,
/// <c>normalization</c>, <c>utils.Normalizer</c>): folds, train/validation split and per-fold normalisation.
/// </summary>
/// <remarks>
/// <para><b>Folds.</b> LOCV: fold i tests the registry's group i (RecGym: subjects 1–9 only, 10 always trains); the
/// training subjects are all other subjects present. SOCV (Skoda): all windows shuffled once with the seed, fold i tests
/// slice [i·⌊N/5⌋, (i+1)·⌊N/5⌋), the last fold takes the rest; the remaining windows, in shuffled order, are split
/// without a second shuffle, as in the reference.</para>
/// <para><b>Train/validation.</b> LOCV: the training subjects' windows (in window order) are shuffled, the first
/// int(0.9·n) train, the rest validate (window level, so overlapping windows can straddle the two parts).</para>
/// <para><b>Shuffle.</b> Fisher–Yates driven by <see cref="System.Random"/>(seed) (i from n−1 down to 1, j =
/// Next(i+1)). The reference uses Python's <c>random.shuffle</c> (Mersenne Twister) with the same loop shape, re-seeded
/// with the seed before every fold; here likewise every LOCV fold starts from a fresh <c>Random(seed)</c>. The
/// permutations differ from Python's: bit-for-bit equality is not attempted.</para>
/// <para><b>Normalisation.</b> Mean and sample std (ddof=1) per channel, in double, over ALL rows (labelled, dropped or
/// windowless) of the training+validation subjects' recordings, applied to all parts as (x−mean)/(std+2.22e-16).
/// SOCV fits once on every row. Test subjects' rows never enter the statistics.</para>
/// <para><b>Absent subjects.</b> Folds whose test subjects are all absent, or that have no test or training windows,
/// are reported with a <see cref="FoldStatus"/> and skipped by callers instead of failing.</para>
/// <para><b>Difference.</b> The reference fits the normalisation on <c>all_keys</c> minus the test group but trains on
/// every non-test window; the two only differ for a subject outside <c>all_keys</c>, which here counts as training
/// for both.</para>
/// </remarks>
public static class Protocol
{
    /// <summary>numpy's float64 eps, added to the std (<c>np.finfo(float).eps</c>).</summary>
    public const double Epsilon = 2.220446049250313e-16;

    /// <summary>The reference's <c>train_vali_quote</c>.</summary>
    public const double TrainFraction = 0.9;

    /// <summary>Number of training windows out of n training+validation windows: int(0.9·n).</summary>
    public static int TrainCount(int n) => (int)(TrainFraction * n);

    /// <summary>In-place Fisher–Yates shuffle with <c>new Random(seed)</c>.</summary>
    public static void Shuffle<T>(T[] items, int seed)
    {
        var rng = new Random(seed);
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The folds of a dataset on the loaded recordings and their windows.</summary>
    public static IReadOnlyList<FoldSpec> Folds(DatasetInfo info, IReadOnlyList<Recording> recordings, WindowIndex windows)
    {
        var present = recordings.Select(r => r.Subject).Distinct().Order().ToArray();
        var folds = new List<FoldSpec>();
        if (info.Scheme == CvScheme.Socv)
        {
            int n = windows.Count, step = n / info.SocvFolds;
            for (int i = 0; i < info.SocvFolds; i++)
            {
                int start = i * step, end = i < info.SocvFolds - 1 ? (i + 1) * step : n;
                int test = end - start, trainVal = n - test;
                folds.Add(Make(i, [], present, present, trainVal, test));
            }
            return folds;
        }
        var windowsPerSubject = new Dictionary<int, int>();
        foreach (var s in windows.Subject) windowsPerSubject[s] = windowsPerSubject.GetValueOrDefault(s) + 1;
        for (int i = 0; i < info.TestGroups.Count; i++)
        {
            var group = info.TestGroups[i];
            var testSubjects = present.Where(group.Contains).ToArray();
            var trainSubjects = present.Where(s => !group.Contains(s)).ToArray();
            int test = testSubjects.Sum(s => windowsPerSubject.GetValueOrDefault(s));
            int trainVal = trainSubjects.Sum(s => windowsPerSubject.GetValueOrDefault(s));
            folds.Add(Make(i, group, testSubjects, trainSubjects, trainVal, test));
        }
        return folds;
    }

    static FoldSpec Make(int index, IReadOnlyList<int> group, int[] testSubjects, int[] trainSubjects, int trainVal, int test)
    {
        int train = TrainCount(trainVal);
        var status = testSubjects.Length == 0 ? FoldStatus.NoTestSubjects
            : test == 0 ? FoldStatus.NoTestWindows
            : train == 0 ? FoldStatus.NoTrainingWindows
            : FoldStatus.Ok;
        return new FoldSpec(index, group, testSubjects, trainSubjects, train, trainVal - train, test, status);
    }

    /// <summary>
    /// Splits the windows of one runnable fold into train / validation / test window indices. Throws
    /// <see cref="TinierHarException"/> for a skipped fold (see <see cref="FoldSpec.SkipReason"/>).
    /// </summary>
    public static FoldSplit Split(DatasetInfo info, FoldSpec fold, WindowIndex windows, int seed)
    {
        if (!fold.Runnable) throw new TinierHarException($"dataset '{info.Key}' fold {fold.Index} cannot run: {fold.SkipReason}");
        if (info.Scheme == CvScheme.Socv)
        {
            int n = windows.Count, step = n / info.SocvFolds;
            var order = Enumerable.Range(0, n).ToArray();
            Shuffle(order, seed);
            int start = fold.Index * step, end = fold.Index < info.SocvFolds - 1 ? (fold.Index + 1) * step : n;
            var test = order[start..end];
            var trainVal = order[..start].Concat(order[end..]).ToArray();
            int k = TrainCount(trainVal.Length);
            return new FoldSplit(fold, trainVal[..k], trainVal[k..], test);
        }
        var testSet = fold.TestSubjects.ToHashSet();
        var testList = new List<int>();
        var trainList = new List<int>();
        for (int w = 0; w < windows.Count; w++) (testSet.Contains(windows.Subject[w]) ? testList : trainList).Add(w);
        var tv = trainList.ToArray();
        Shuffle(tv, seed);
        int cut = TrainCount(tv.Length);
        return new FoldSplit(fold, tv[..cut], tv[cut..], [.. testList]);
    }

    /// <summary>
    /// Fits mean and sample std (ddof=1) per channel over every row of the recordings whose subject passes
    /// <paramref name="subjects"/> (all recordings when null). Two passes in double.
    /// </summary>
    public static Normalization Fit(IReadOnlyList<Recording> recordings, int channels, IReadOnlyCollection<int>? subjects)
    {
        var set = subjects?.ToHashSet();
        var used = recordings.Where(r => set is null || set.Contains(r.Subject)).ToArray();
        var sum = new double[channels];
        long rows = 0;
        foreach (var r in used)
        {
            var x = r.Samples;
            for (int i = 0; i < x.Length; i += channels)
                for (int c = 0; c < channels; c++) sum[c] += x[i + c];
            rows += r.Length;
        }
        var mean = new double[channels];
        var std = new double[channels];
        if (rows == 0) { Array.Fill(mean, double.NaN); Array.Fill(std, double.NaN); return new Normalization(mean, std, 0); }
        for (int c = 0; c < channels; c++) mean[c] = sum[c] / rows;
        var ss = new double[channels];
        foreach (var r in used)
        {
            var x = r.Samples;
            for (int i = 0; i < x.Length; i += channels)
                for (int c = 0; c < channels; c++) { double d = x[i + c] - mean[c]; ss[c] += d * d; }
        }
        for (int c = 0; c < channels; c++) std[c] = rows > 1 ? Math.Sqrt(ss[c] / (rows - 1)) : double.NaN;
        return new Normalization(mean, std, rows);
    }

    /// <summary>The normalisation of a fold: SOCV over all rows, LOCV over the training subjects' rows.</summary>
    public static Normalization FitFold(DatasetInfo info, FoldSpec fold, IReadOnlyList<Recording> recordings) =>
        Fit(recordings, info.C, info.Scheme == CvScheme.Socv ? null : fold.TrainSubjects);
}
