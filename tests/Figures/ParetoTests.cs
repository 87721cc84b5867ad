using TinierHar.Analysis;

namespace TinierHar.Tests.Figures;

public class ParetoTests
{
    private static EfficiencyPoint P(string label, long macs, double f1) =>
        new("ds", "m", "full", label, macs, macs, f1, 0, 1, "test");

    private static string[] FrontLabels(params EfficiencyPoint[] points) =>
        Pareto.Front(points, p => p.Macs).Select(p => p.Label).ToArray();

    [Fact]
    public void KeepsNonDominatedPointsSortedByCost()
    {
        // b is dominated by a (more expensive, worse); d by c.
        Assert.Equal(["a", "c", "e"], FrontLabels(P("c", 300, 0.8), P("a", 100, 0.6), P("b", 200, 0.5), P("d", 400, 0.7), P("e", 500, 0.9)));
    }

    [Fact]
    public void F1StrictlyIncreasesAlongTheFront()
    {
        var rnd = new Random(7);
        var points = Enumerable.Range(0, 200).Select(i => P($"p{i}", rnd.Next(1, 50), Math.Round(rnd.NextDouble(), 2))).ToArray();
        var front = Pareto.Front(points, p => p.Macs);
        for (var i = 1; i < front.Count; i++)
        {
            Assert.True(front[i].Macs > front[i - 1].Macs);
            Assert.True(front[i].MacroF1 > front[i - 1].MacroF1);
        }
        // Every point is dominated by (or equal to) a front point.
        foreach (var p in points)
            Assert.Contains(front, f => f.Macs <= p.Macs && f.MacroF1 >= p.MacroF1);
    }

    [Fact]
    public void TiesKeepTheBestF1AtEqualCostAndTheFirstOfEqualPoints()
    {
        // Same cost: only the best F1 (y). Same cost and F1: the first in input order (y before y2).
        // Higher cost with the same F1 (z) is dominated.
        Assert.Equal(["y"], FrontLabels(P("x", 100, 0.5), P("y", 100, 0.7), P("y2", 100, 0.7), P("z", 200, 0.7)));
    }

    [Fact]
    public void IgnoresNaNAndHandlesEmptyInput()
    {
        Assert.Equal(["a", "c"], FrontLabels(P("nan", 50, double.NaN), P("a", 100, 0.5), P("nan2", 150, double.NaN), P("c", 200, 0.9)));
        Assert.Empty(Pareto.Front([], p => p.Macs));
        Assert.Empty(Pareto.Front([P("nan", 1, double.NaN)], p => p.Macs));
    }

    [Fact]
    public void UsesTheGivenCost()
    {
        var a = new EfficiencyPoint("ds", "m", "full", "a", Parameters: 10, Macs: 1000, 0.5, 0, 1, "t");
        var b = new EfficiencyPoint("ds", "m", "full", "b", Parameters: 20, Macs: 500, 0.6, 0, 1, "t");
        Assert.Equal(["b"], Pareto.Front([a, b], p => p.Macs).Select(p => p.Label));
        Assert.Equal(["a", "b"], Pareto.Front([a, b], p => p.Parameters).Select(p => p.Label));
    }
}
