using TinierHar.Data;
using static TinierHar.Tests.Data.Synthetic;

namespace TinierHar.Tests.Data;

public class WindowingTests
{
    [Fact]
    public void Synthetic_StepIsIntHalfTAndAWindowMustFitEntirely()
    {
        var t4 = Windowing.Cut([Rec(1, Repeat(1, 10))], Info(t: 4));
        Assert.Equal(2, t4.Step);
        Assert.Equal([0, 2, 4, 6], t4.Start);          // 6+4 = 10 fits, 8+4 = 12 does not
        var t5 = Windowing.Cut([Rec(1, Repeat(1, 10))], Info(t: 5));
        Assert.Equal(2, t5.Step);                       // int(0.5 * 5)
        Assert.Equal([0, 2, 4], t5.Start);              // 4+5 = 9 fits, 6+5 = 11 does not
        var exact = Windowing.Cut([Rec(1, Repeat(1, 4))], Info(t: 4));
        Assert.Equal([0], exact.Start);
    }

    [Fact]
    public void Synthetic_ShortRecordingsGiveNoWindowAndWindowsNeverCrossRecordings()
    {
        var w = Windowing.Cut([Rec(1, Repeat(1, 3)), Rec(1, Repeat(1, 5)), Rec(2, Repeat(2, 5))], Info(t: 4));
        Assert.Equal([1, 2], w.Recording);             // recording 0 is too short; 1 and 2 give one window each
        Assert.Equal([0, 0], w.Start);
        Assert.Equal([1, 2], w.Subject);
    }

    [Fact]
    public void Synthetic_DsadsLikeSegmentGivesExactlyOneWindow()
    {
        var w = Windowing.Cut([Rec(1, Repeat(3, 125), c: 2)], Info(t: 100, labelMap: [1, 2, 3]));
        Assert.Equal([0], w.Start);
        Assert.Equal([2], w.Label);
    }

    [Fact]
    public void Synthetic_LabelIsTheModeOfRawLabels()
    {
        var info = Info(t: 6, labelMap: [0, 1, 2]);
        Assert.Equal(2, Windowing.ModeRawLabel([1, 2, 2, 2, 1, 0], info));
        Assert.Equal(0, Windowing.ModeRawLabel([0, 0, 0, 1, 1, 2], info));
    }

    [Fact]
    public void Synthetic_ModeTiesGoToTheSmallestRawId()
    {
        var info = Info(t: 4, labelMap: [0, 1, 2]);
        Assert.Equal(1, Windowing.ModeRawLabel([2, 2, 1, 1], info));
        Assert.Equal(1, Windowing.ModeRawLabel([1, 2, 1, 2], info));
        var w = Windowing.Cut([Rec(1, [2, 2, 1, 1])], info);
        Assert.Equal([1], w.Label);
    }

    [Fact]
    public void Synthetic_ModeTiesFollowLabelMapOrderWhenItIsNotAscending()
    {
        // Like OPPORTUNITY: the reference takes the mode of ids already mapped to label-map positions.
        var info = Info(t: 4, labelMap: [0, 406516, 404516]);
        Assert.Equal(406516, Windowing.ModeRawLabel([404516, 404516, 406516, 406516], info));
        Assert.Equal([1], Windowing.Cut([Rec(1, [404516, 404516, 406516, 406516])], info).Label);
    }

    [Fact]
    public void Synthetic_WindowsWhoseModeIsDroppedAreDiscardedButDroppedRowsStayInKeptWindows()
    {
        var info = Info(t: 4, labelMap: [0, 1, 2], dropped: [0]);
        // windows at 0 [0,0,0,1] -> 0 dropped; 2 [0,1,1,1] -> 1 kept; 4 [1,1,0,0] tie 0/1 -> 0 dropped; 6 [0,0,2,2] tie -> 0 dropped
        var labels = new[] { 0, 0, 0, 1, 1, 1, 0, 0, 2, 2 };
        var w = Windowing.Cut([Rec(1, labels)], info);
        Assert.Equal([2], w.Start);
        Assert.Equal([0], w.Label);                    // raw 1 -> class 0 after dropping raw 0
        var w2 = Windowing.Cut([Rec(1, [0, 2, 2, 2])], info);
        Assert.Equal([1], w2.Label);                   // raw 2 -> class 1; the dropped row inside stays
    }

    [Fact]
    public void Synthetic_ClassIndicesFollowLabelMapOrderMinusDropped()
    {
        var info = Info(t: 2, labelMap: [32, 48, 49, 50], dropped: [32]);
        // T = 2, step int(0.5 * 2) = 1: [50,50] [50,48] [48,48] [48,49] [49,49] [49,32] [32,32]
        var w = Windowing.Cut([Rec(1, [50, 50, 48, 48, 49, 49, 32, 32])], info);
        Assert.Equal(1, w.Step);
        Assert.Equal([0, 1, 2, 3, 4], w.Start);
        Assert.Equal([2, 0, 0, 0, 1], w.Label);
        Assert.Equal([3, 1, 1], w.ClassCounts(info.K));
    }

    [Fact]
    public void Synthetic_UnknownRawLabelIsAnErrorNamingTheBlock()
    {
        var e = Assert.Throws<TinierHarException>(() => Windowing.Cut([Rec(1, [1, 1, 7, 1], block: "blockX")], Info(t: 2)));
        Assert.Contains("blockX", e.Message);
        Assert.Contains("7", e.Message);
    }
}
