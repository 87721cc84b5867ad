using TinierHar.Data;
using TorchSharp;
using static TinierHar.Tests.Data.Synthetic;

namespace TinierHar.Tests.Data;

public class PreparedFoldTests
{
    [Fact]
    public void Synthetic_PartsAreContiguousWindowsAndTensorsAreN1TCFloatAndInt64()
    {
        var info = Info(t: 4, c: 3, labelMap: [0, 1, 2], subjects: [1, 2, 3, 4], groups: [[1], [2, 3, 4]]);
        List<Recording> recs = [Rec(1, Repeat(2, 12), c: 3), Rec(2, Repeat(1, 10), c: 3), Rec(3, [0, 0, 0, 0, 1, 1, 1, 1], c: 3), Rec(4, Repeat(2, 6), c: 3)];
        var data = new LoadedDataset(info, "/s", recs);
        using var fold = data.Prepare(0, seed: 11);
        Assert.Equal(5, fold.Test.Count);                              // subject 1: 12 rows -> 5 windows
        Assert.Equal([1], fold.Test.Subjects);
        Assert.Equal([0, 0, 5], fold.Test.ClassCounts);
        int trainVal = 4 + 3 + 2;
        Assert.Equal((int)(0.9 * trainVal), fold.Train.Count);
        Assert.Equal(trainVal - (int)(0.9 * trainVal), fold.Validation.Count);
        Assert.Equal(fold.Train.Count * 12, fold.Train.X.Length);

        var x = fold.Train.XTensor;
        Assert.Equal(new long[] { fold.Train.Count, 1, 4, 3 }, x.shape);
        Assert.Equal(torch.ScalarType.Float32, x.dtype);
        Assert.Same(x, fold.Train.XTensor);                              // built once
        Assert.Equal(fold.Train.X, x.data<float>().ToArray());
        var y = fold.Train.YTensor;
        Assert.Equal(torch.ScalarType.Int64, y.dtype);
        Assert.Equal(fold.Train.Y.Select(v => (long)v), y.data<long>().ToArray());
        // Window i of a part is the normalised rows of its recording.
        for (int i = 0; i < fold.Validation.Count; i++)
        {
            int w = fold.Validation.WindowIndices[i];
            var r = data.Recordings[data.Windows.Recording[w]];
            var win = fold.Validation.Window(i);
            for (int k = 0; k < 12; k++) Assert.Equal(fold.Normalization.Apply(r.Samples[data.Windows.Start[w] * 3 + k], k % 3), win[k]);
            Assert.Equal(r.Subject, fold.Validation.WindowSubjects[i]);
        }
    }

    [Fact]
    public void Synthetic_SkippedFoldAndOutOfRangeFoldAreUserErrors()
    {
        var info = Info(t: 4, subjects: [1, 2, 3, 4], groups: [[1, 2], [3, 4]]);
        var data = new LoadedDataset(info, "/s", [Rec(1, Repeat(1, 10)), Rec(2, Repeat(1, 10))]);
        Assert.Contains("none of the test subjects [3,4]", Assert.Throws<TinierHarException>(() => data.Prepare(1, 1)).Message);
        Assert.Contains("folds 0..1", Assert.Throws<TinierHarException>(() => data.Prepare(2, 1)).Message);
        Assert.Equal(FoldStatus.NoTrainingWindows, data.Folds[0].Status);
    }

    [Fact]
    public void Synthetic_NonFiniteOrMisshapenLoaderOutputIsRejected()
    {
        var info = Info(t: 4, c: 2);
        var nan = Rec(1, Repeat(1, 5), c: 2, value: (i, j) => i == 3 && j == 1 ? float.NaN : 1, block: "blk");
        var e = Assert.Throws<TinierHarException>(() => LoadedDataset.Validate(info, [nan]));
        Assert.Contains("blk", e.Message);
        Assert.Contains("row 3", e.Message);
        Assert.Contains("ch1", e.Message);
        Assert.Throws<TinierHarException>(() => LoadedDataset.Validate(info, [Rec(1, Repeat(1, 5), c: 3)]));
        Assert.Contains("raw label id 9", Assert.Throws<TinierHarException>(() => LoadedDataset.Validate(info, [Rec(1, [1, 9], c: 2)])).Message);
    }
}
