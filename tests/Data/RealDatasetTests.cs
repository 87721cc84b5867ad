using TinierHar.Data;

namespace TinierHar.Tests.Data;

/// <summary>
/// Facts of the real shared copies after loading, windowing and preparation. Window and fold counts, class counts and
/// the Daphnet normalisation statistics were computed independently by a plain-Python re-implementation of the
/// reference's windowing (mode over label-map ids, step int(T/2), fit rule) and normalisation (mean, ddof=1 std).
/// </summary>
public class RealDatasetTests
{
    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.Daphnet)]
    public void DaphnetRecordingsWindowsAndFolds()
    {
        var d = RealData.Load("dg");
        var rows = d.Recordings.ToDictionary(r => r.Block, r => r.Length);
        Assert.Equal(new Dictionary<string, int>
        {
            ["S01R02"] = 52095, ["S02R01"] = 72561, ["S02R02"] = 89645, ["S03R02"] = 38774, ["S03R03"] = 70269, ["S06R02"] = 44227, ["S07R02"] = 50335,
        }, rows);
        Assert.All(d.Recordings, r => Assert.Equal(9, r.Channels));
        Assert.Equal([1, 2, 3, 6, 7], d.SubjectsPresent);
        Assert.Equal(417_906, d.SampleCount);
        Assert.Equal(1607, d.Windows.Count);
        Assert.Equal([1476, 131], d.Windows.ClassCounts(2));
        Assert.Equal([0, 1, 2, 5, 6], d.RunnableFolds.Select(f => f.Index));
        Assert.All(d.Folds.Where(f => !f.Runnable), f => Assert.Equal(FoldStatus.NoTestSubjects, f.Status));
        var counts = d.RunnableFolds.Select(f => (f.TrainWindows, f.ValidationWindows, f.TestWindows)).ToArray();
        Assert.Equal([(1243, 139, 225), (810, 90, 707), (1180, 132, 295), (1306, 146, 155), (1243, 139, 225)], counts);
    }

    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.Daphnet)]
    public void DaphnetPreparedFoldMatchesTheReferenceStatistics()
    {
        var d = RealData.Load("dg");
        using var fold = d.Prepare(0, seed: 3);
        Assert.Equal([1], fold.Test.Subjects);
        Assert.Equal([2, 3, 6, 7], fold.Train.Subjects);
        Assert.Equal([2, 3, 6, 7], fold.Validation.Subjects);
        Assert.Equal((1243, 139, 225), (fold.Train.Count, fold.Validation.Count, fold.Test.Count));
        Assert.Equal([213, 12], fold.Test.ClassCounts);
        Assert.Equal(1243 + 139, fold.Train.ClassCounts.Sum() + fold.Validation.ClassCounts.Sum());
        double[] mean = [-43.95885033528243, 774.7247813761751, -5.31462695216929, -0.1061996495458037, 565.3721101880479, -100.41531009182337, 38.82300422895976, 730.5214742038921, -200.53004693680617];
        double[] std = [523.3044984950385, 546.2703378743959, 615.7781133546791, 491.64515839745496, 480.0573847961299, 498.37362183266157, 252.963690252322, 445.1757030770688, 463.16093615255807];
        Assert.Equal(365_811, fold.Normalization.Rows);               // every row of subjects 2, 3, 6, 7, labelled or not
        for (int c = 0; c < 9; c++)
        {
            Assert.Equal(mean[c], fold.Normalization.Mean[c], 1e-9);
            Assert.Equal(std[c], fold.Normalization.Std[c], 1e-9);
        }
        foreach (var part in new[] { fold.Train, fold.Validation, fold.Test })
        {
            Assert.Equal(part.Count * 256 * 9, part.X.Length);
            Assert.All(part.X, v => Assert.True(float.IsFinite(v)));
        }
        // The first test window comes from S01R02 and is normalised with the training statistics.
        var s01 = d.Recordings.Single(r => r.Block == "S01R02");
        int w0 = fold.Test.WindowIndices[0];
        Assert.Same(s01, d.Recordings[d.Windows.Recording[w0]]);
        for (int k = 0; k < 256 * 9; k++)
        {
            int c = k % 9;
            var expected = (s01.Samples[d.Windows.Start[w0] * 9 + k] - mean[c]) / (std[c] + 2.220446049250313e-16);
            Assert.Equal(expected, fold.Test.X[k], 1e-5);
        }
    }

    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.Dsads)]
    public void DsadsOneSubjectOneWindowPerSegmentAndTheDuplicatedColumnQuirk()
    {
        var d = RealData.Load("dsads");
        Assert.Equal(1140, d.Recordings.Count);
        Assert.All(d.Recordings, r => Assert.Equal((1, 125, 45), (r.Subject, r.Length, r.Channels)));
        Assert.Equal(1140, d.Windows.Count);
        Assert.All(d.Windows.Start, s => Assert.Equal(0, s));
        Assert.All(d.Windows.ClassCounts(19), n => Assert.Equal(60, n));
        // Reference quirk: channel 43 (mag_y_LL) repeats file column 42 (mag_x_LL).
        var r0 = d.Recordings[0];
        for (int i = 0; i < r0.Length; i++) Assert.Equal(r0.Samples[i * 45 + 42], r0.Samples[i * 45 + 43]);
        // Only subject 1 is here: its own fold has nothing to train on, the others nothing to test.
        Assert.Equal(FoldStatus.NoTrainingWindows, d.Folds[0].Status);
        Assert.All(d.Folds.Skip(1), f => Assert.Equal(FoldStatus.NoTestSubjects, f.Status));
        var e = Assert.Throws<TinierHarException>(() => d.Prepare(0, 1));
        Assert.Contains("fold 0", e.Message);
    }

    [RequiresSharedFact(SharedFiles.Hapt)]
    public void HaptRecordingsWindowsPerClassAndSubject()
    {
        // Expected values: HaptFacts, a naive window cutter over the raw files (no library code).
        var facts = HaptFacts.Of(TestPaths.Dataset("HAPT"));
        var d = RealData.Load("hapt");
        Assert.Equal(facts.Experiments.Select(e => e.Rows), d.Recordings.Select(r => r.Length));
        Assert.Equal(facts.Experiments.Select(e => e.User), d.Recordings.Select(r => r.Subject));
        Assert.All(d.Recordings, r => Assert.Equal(6, r.Channels));
        Assert.Equal(Enumerable.Range(1, 30), d.SubjectsPresent);
        Assert.Equal((HaptFacts.T, HaptFacts.Step), (d.Windows.T, d.Windows.Step));
        Assert.Equal(facts.Windows, d.Windows.Count);
        Assert.Equal(facts.WindowsPerClass, d.Windows.ClassCounts(HaptFacts.Classes));
        Assert.Equal(facts.WindowsPerSubject.OrderBy(p => p.Key), d.Windows.Subject.CountBy(s => s).OrderBy(p => p.Key));
        // Folds: 10 groups of 3 users; each tests its group and trains on int(0.9·n) of the other users' n windows.
        Assert.Equal(10, d.RunnableFolds.Count());
        for (int i = 0; i < 10; i++)
        {
            var group = Enumerable.Range(3 * i + 1, 3).ToArray();
            int test = group.Sum(u => facts.WindowsPerSubject.GetValueOrDefault(u));
            int trainVal = facts.Windows - test, train = (int)(0.9 * trainVal);
            var f = d.Folds[i];
            Assert.Equal(group, f.TestSubjects);
            Assert.Equal((train, trainVal - train, test), (f.TrainWindows, f.ValidationWindows, f.TestWindows));
        }
    }

    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.MotionSense)]
    public void MotionSenseSubjectOneWindowsPerClass()
    {
        var d = RealData.Load("motionsense");
        Assert.Equal(15, d.Recordings.Count);
        Assert.Equal(62_312, d.SampleCount);
        Assert.Equal(598, d.Windows.Count);
        Assert.Equal([46, 58, 202, 124, 107, 61], d.Windows.ClassCounts(6));
        Assert.Equal([1], d.SubjectsPresent);
    }

    /// <summary>Windows of one single-label block by the closed form ⌊(N−T)/step⌋+1 (0 when N &lt; T).</summary>
    static int WindowsOf(int n, int t) => n < t ? 0 : (n - t) / (t / 2) + 1;

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void UscHadCompleteRecordingsWindowsAndFolds()
    {
        var d = RealData.Load("uschad");
        Assert.Equal(840, d.Recordings.Count);
        Assert.Equal(2_811_490, d.SampleCount);                       // SOURCES.md
        Assert.Equal(Enumerable.Range(1, 14), d.SubjectsPresent);
        Assert.All(d.Recordings, r => Assert.True(r.Channels == 6 && r.Labels.All(l => l == r.Labels[0])));
        Assert.All(d.Recordings.GroupBy(r => (r.Subject, r.Labels[0])), g => Assert.Equal(5, g.Count()));
        var expected = new int[12];
        foreach (var r in d.Recordings) expected[r.Labels[0] - 1] += WindowsOf(r.Length, 400);
        Assert.Equal(13_024, expected.Sum());
        Assert.Equal(expected, d.Windows.ClassCounts(12));
        Assert.Equal(7, d.RunnableFolds.Count());
        Assert.Equal([1685, 1326, 1349, 1562, 2402, 2515, 2185], d.Folds.Select(f => f.TestWindows));
        Assert.All(d.Folds, f => Assert.Equal(13_024, f.TrainWindows + f.ValidationWindows + f.TestWindows));
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void UscHadPreparedFoldIsFiniteAndFitsOnTrainingSubjectsOnly()
    {
        var d = RealData.Load("uschad");
        using var fold = d.Prepare(6, seed: 1);
        Assert.Equal([13, 14], fold.Test.Subjects);
        Assert.Equal(Enumerable.Range(1, 12), fold.Train.Subjects);
        var x = fold.Test.XTensor;
        Assert.Equal(new long[] { 2185, 1, 400, 6 }, x.shape);
        foreach (var part in new[] { fold.Train, fold.Validation, fold.Test }) Assert.All(part.X, v => Assert.True(float.IsFinite(v)));
        // Statistics by hand over every row of subjects 1-12 (two passes, double).
        var train = d.Recordings.Where(r => r.Subject <= 12).ToList();
        long n = train.Sum(r => (long)r.Length);
        Assert.Equal(n, fold.Normalization.Rows);
        var sum = new double[6];
        foreach (var r in train) for (int i = 0; i < r.Samples.Length; i++) sum[i % 6] += r.Samples[i];
        var mean = sum.Select(v => v / n).ToArray();
        var ss = new double[6];
        foreach (var r in train) for (int i = 0; i < r.Samples.Length; i++) ss[i % 6] += Math.Pow(r.Samples[i] - mean[i % 6], 2);
        for (int c = 0; c < 6; c++)
        {
            Assert.Equal(mean[c], fold.Normalization.Mean[c], 1e-9);
            Assert.Equal(Math.Sqrt(ss[c] / (n - 1)), fold.Normalization.Std[c], 1e-9);
        }
    }

    [RequiresSharedFact(SharedFiles.UtdMhad)]
    public void UtdMhadAllActionsWithTwoSecondWindows()
    {
        var d = RealData.Load("utdmhad");
        Assert.Equal(861, d.Recordings.Count);                         // 27 x 8 x 4 less 3 missing trials
        Assert.Equal(Enumerable.Range(1, 8), d.SubjectsPresent);
        Assert.All(d.Recordings, r => Assert.InRange(r.Length, 107, 326));
        Assert.Equal(d.Recordings.Sum(r => WindowsOf(r.Length, 100)), d.Windows.Count);
        Assert.Equal(1826, d.Windows.Count);
        Assert.All(d.Windows.ClassCounts(27), c => Assert.True(c > 0));
        Assert.Equal([[1, 2], [3, 4], [5, 6], [7, 8]], d.RunnableFolds.Select(f => f.TestSubjects.ToArray()));
    }

    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.UciHar, SharedFiles.Wisdm)]
    public void IncompleteSharedCopiesFailWithOneLineNamingTheFile()
    {
        using var tmp = new TempDir();
        foreach (var key in new[] { "uci", "wisdm" })
        {
            var e = Assert.Throws<TinierHarException>(() => LoadedDataset.Load(DatasetRegistry.Get(key), TestPaths.SharedDataFolder, new WindowCache(tmp.Path)));
            Assert.Contains(TestPaths.SharedDataFolder.PathOf(DatasetRegistry.Get(key)), e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }
}
