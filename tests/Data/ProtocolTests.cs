using TinierHar.Data;
using static TinierHar.Tests.Data.Synthetic;

namespace TinierHar.Tests.Data;

public class ProtocolTests
{
    // Subjects 1..6 in three LOCV groups; data only for 1..4. T = 4, step 2: n rows give (n-4)/2+1 windows.
    static DatasetInfo SixSubjects() => Info(t: 4, subjects: [1, 2, 3, 4, 5, 6], groups: [[1, 2], [3, 4], [5, 6]]);

    static List<Recording> FourSubjects() =>
        [Rec(1, Repeat(1, 20)), Rec(2, Repeat(2, 12)), Rec(3, Repeat(1, 30)), Rec(4, Repeat(0, 8))]; // 9, 5, 14, 3 windows

    static void AssertFold(FoldSpec f, int[] test, int[] train, int nTrain, int nVal, int nTest, FoldStatus status)
    {
        Assert.Equal(test, f.TestSubjects);
        Assert.Equal(train, f.TrainSubjects);
        Assert.Equal((nTrain, nVal, nTest, status), (f.TrainWindows, f.ValidationWindows, f.TestWindows, f.Status));
    }

    [Fact]
    public void Synthetic_LocvFoldLayoutOnPartialData()
    {
        var info = SixSubjects();
        var recs = FourSubjects();
        var folds = Protocol.Folds(info, recs, Windowing.Cut(recs, info));
        Assert.Equal(3, folds.Count);
        AssertFold(folds[0], [1, 2], [3, 4], 15, 2, 14, FoldStatus.Ok);
        AssertFold(folds[1], [3, 4], [1, 2], 12, 2, 17, FoldStatus.Ok);
        Assert.Equal(FoldStatus.NoTestSubjects, folds[2].Status);
        Assert.False(folds[2].Runnable);
        Assert.Contains("[5,6]", folds[2].SkipReason);
        var e = Assert.Throws<TinierHarException>(() => Protocol.Split(info, folds[2], Windowing.Cut(recs, info), 1));
        Assert.Contains("fold 2", e.Message);
    }

    [Fact]
    public void Synthetic_FoldsWithoutTestOrTrainingWindowsAreSkipped()
    {
        var info = SixSubjects();
        List<Recording> recs = [Rec(1, Repeat(1, 20)), Rec(3, Repeat(1, 3)), Rec(5, Repeat(1, 10))];
        var folds = Protocol.Folds(info, recs, Windowing.Cut(recs, info));
        Assert.Equal(FoldStatus.Ok, folds[0].Status);
        Assert.Equal(FoldStatus.NoTestWindows, folds[1].Status);      // subject 3 is present but too short
        Assert.Equal(FoldStatus.Ok, folds[2].Status);
        List<Recording> onlyTest = [Rec(1, Repeat(1, 20))];
        var f2 = Protocol.Folds(info, onlyTest, Windowing.Cut(onlyTest, info));
        Assert.Equal(FoldStatus.NoTrainingWindows, f2[0].Status);
    }

    [Fact]
    public void Synthetic_SplitSizesAreInt09NAndPartsAreDisjoint()
    {
        var info = SixSubjects();
        var recs = FourSubjects();
        var windows = Windowing.Cut(recs, info);
        var fold = Protocol.Folds(info, recs, windows)[0];
        var split = Protocol.Split(info, fold, windows, seed: 3);
        var trainSubjectWindows = Enumerable.Range(0, windows.Count).Where(w => windows.Subject[w] is 3 or 4).ToArray();
        Assert.Equal(17, trainSubjectWindows.Length);
        Assert.Equal(15, split.Train.Length);                           // int(0.9 * 17)
        Assert.Equal(2, split.Validation.Length);
        Assert.Equal(trainSubjectWindows, split.Train.Concat(split.Validation).Order());
        Assert.Equal(Enumerable.Range(0, windows.Count).Where(w => windows.Subject[w] is 1 or 2), split.Test);
        foreach (var n in new[] { 1, 2, 9, 10, 11, 99, 1000, 12345 }) Assert.Equal((int)(0.9 * n), Protocol.TrainCount(n));
    }

    [Fact]
    public void Synthetic_ShuffleIsSeededFisherYatesRestartedPerFold()
    {
        var info = SixSubjects();
        var recs = FourSubjects();
        var windows = Windowing.Cut(recs, info);
        var folds = Protocol.Folds(info, recs, windows);
        var a = Protocol.Split(info, folds[0], windows, 7);
        var b = Protocol.Split(info, folds[0], windows, 7);
        var c = Protocol.Split(info, folds[0], windows, 8);
        Assert.Equal(a.Train, b.Train);
        Assert.NotEqual(a.Train.Concat(a.Validation), c.Train.Concat(c.Validation));
        // The documented algorithm: Random(seed), i from n-1 down to 1, j = Next(i + 1).
        var expected = Enumerable.Range(0, windows.Count).Where(w => windows.Subject[w] is 3 or 4).ToArray();
        var rng = new Random(7);
        for (int i = expected.Length - 1; i > 0; i--) { int j = rng.Next(i + 1); (expected[i], expected[j]) = (expected[j], expected[i]); }
        Assert.Equal(expected, a.Train.Concat(a.Validation));
        // Every fold starts from a fresh Random(seed), whatever was split before.
        var fold1First = Protocol.Split(info, folds[1], windows, 7);
        _ = Protocol.Split(info, folds[0], windows, 7);
        Assert.Equal(fold1First.Train, Protocol.Split(info, folds[1], windows, 7).Train);
    }

    [Fact]
    public void Synthetic_SocvFiveSlicesOfOneShuffleLastTakesTheRest()
    {
        var info = Info(t: 4, scheme: CvScheme.Socv, subjects: [1]);
        List<Recording> recs = [Rec(1, Repeat(1, 48))];                 // 23 windows
        var windows = Windowing.Cut(recs, info);
        Assert.Equal(23, windows.Count);
        var folds = Protocol.Folds(info, recs, windows);
        Assert.Equal([4, 4, 4, 4, 7], folds.Select(f => f.TestWindows));
        Assert.Equal([17, 17, 17, 17, 14], folds.Select(f => f.TrainWindows));
        Assert.Equal([2, 2, 2, 2, 2], folds.Select(f => f.ValidationWindows));
        var order = Enumerable.Range(0, 23).ToArray();
        Protocol.Shuffle(order, 5);
        var tests = new List<int>();
        for (int i = 0; i < 5; i++)
        {
            var s = Protocol.Split(info, folds[i], windows, 5);
            int start = i * 4, end = i < 4 ? start + 4 : 23;
            Assert.Equal(order[start..end], s.Test);
            var rest = order[..start].Concat(order[end..]).ToArray();   // no second shuffle, as in the reference
            Assert.Equal(rest[..s.Train.Length], s.Train);
            Assert.Equal(rest[s.Train.Length..], s.Validation);
            tests.AddRange(s.Test);
        }
        Assert.Equal(Enumerable.Range(0, 23), tests.Order());
    }

    [Fact]
    public void Synthetic_RecGymStyleUntestedSubjectAlwaysTrains()
    {
        var info = Info(t: 4, subjects: [1, 2, 3], groups: [[1], [2]]);
        List<Recording> recs = [Rec(1, Repeat(1, 10)), Rec(2, Repeat(1, 10)), Rec(3, Repeat(1, 10))];
        var folds = Protocol.Folds(info, recs, Windowing.Cut(recs, info));
        Assert.Equal(2, folds.Count);
        Assert.All(folds, f => Assert.Contains(3, f.TrainSubjects));
    }

    static (double[] Mean, double[] Std) HandStats(IEnumerable<Recording> recs, int c)
    {
        var rows = recs.SelectMany(r => Enumerable.Range(0, r.Length).Select(i => r.Samples.AsSpan(i * c, c).ToArray())).ToList();
        var mean = Enumerable.Range(0, c).Select(j => rows.Sum(r => (double)r[j]) / rows.Count).ToArray();
        var std = Enumerable.Range(0, c).Select(j => Math.Sqrt(rows.Sum(r => Math.Pow(r[j] - mean[j], 2)) / (rows.Count - 1))).ToArray();
        return (mean, std);
    }

    static List<Recording> NormData(float testScale = 1, float trainShift = 0) =>
    [
        Rec(1, [1, 1, 0, 0, 1, 1, 2, 2, 0, 1], c: 3, value: (i, j) => trainShift + i * (j + 1) - 3.25f * j),   // dropped label 0 rows included
        Rec(2, [2, 2, 2, 2, 2, 2, 2, 2], c: 3, value: (i, j) => 10 + (i % 3) * 0.7f + j),
        Rec(2, [0, 0], c: 3, value: (i, j) => -50 + i + j),                                                     // windowless, all dropped
        Rec(3, [1, 1, 1, 1, 1, 1], c: 3, value: (i, j) => testScale * (1000 + 77 * i - j)),                     // test subject
    ];

    [Fact]
    public void Synthetic_NormalisationIsMeanAndSampleStdOverAllRowsOfTrainingSubjects()
    {
        var info = Info(t: 4, c: 3, dropped: [0], subjects: [1, 2, 3], groups: [[3], [1, 2]]);
        var data = new LoadedDataset(info, "/synthetic", NormData());
        using var fold = data.Prepare(0, seed: 1);
        var (mean, std) = HandStats(data.Recordings.Where(r => r.Subject != 3), 3);
        Assert.Equal(20, fold.Normalization.Rows);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(mean[j], fold.Normalization.Mean[j], 12);
            Assert.Equal(std[j], fold.Normalization.Std[j], 12);
        }
        // Applied as (x - mean) / (std + eps) to every part, test included.
        var rec3 = data.Recordings[3];
        Assert.Equal(2, fold.Test.Count);
        for (int k = 0; k < 4 * 3; k++)
        {
            int j = k % 3;
            Assert.Equal((float)((rec3.Samples[k] - mean[j]) / (std[j] + 2.220446049250313e-16)), fold.Test.X[k], 5);
        }
    }

    [Fact]
    public void Synthetic_TestSubjectRowsNeverInfluenceTheStatistics()
    {
        var info = Info(t: 4, c: 3, dropped: [0], subjects: [1, 2, 3], groups: [[3], [1, 2]]);
        using var a = new LoadedDataset(info, "/s", NormData(testScale: 1)).Prepare(0, 1);
        using var b = new LoadedDataset(info, "/s", NormData(testScale: 1000)).Prepare(0, 1);
        Assert.Equal(a.Normalization.Mean, b.Normalization.Mean);
        Assert.Equal(a.Normalization.Std, b.Normalization.Std);
        Assert.Equal(a.Train.X, b.Train.X);
        Assert.Equal(a.Validation.X, b.Validation.X);
        Assert.NotEqual(a.Test.X, b.Test.X);
        // ... while the training subjects' rows do.
        using var c = new LoadedDataset(info, "/s", NormData(trainShift: 5)).Prepare(0, 1);
        Assert.NotEqual(a.Normalization.Mean, c.Normalization.Mean);
    }

    [Fact]
    public void Synthetic_SocvNormalisationUsesEveryRow()
    {
        var info = Info(t: 4, c: 2, scheme: CvScheme.Socv, subjects: [1]);
        List<Recording> recs = [Rec(1, Repeat(1, 40)), Rec(1, Repeat(0, 3))];
        var data = new LoadedDataset(info, "/s", recs);
        using var fold = data.Prepare(2, 9);
        var (mean, std) = HandStats(recs, 2);
        Assert.Equal(43, fold.Normalization.Rows);
        Assert.Equal(mean[1], fold.Normalization.Mean[1], 12);
        Assert.Equal(std[0], fold.Normalization.Std[0], 12);
    }
}
