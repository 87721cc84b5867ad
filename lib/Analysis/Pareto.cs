namespace TinierHar.Analysis;

/// <summary>Pareto front of efficiency points: the configurations no other configuration beats on both cost and accuracy.</summary>
public static class Pareto
{
    /// <summary>
    /// The non-dominated points (lower cost is better, higher <see cref="EfficiencyPoint.MacroF1"/> is better), sorted by
    /// cost ascending; along the result the macro F1 strictly increases.
    /// </summary>
    /// <remarks>
    /// Points with NaN macro F1 or a NaN cost are ignored. A point is on the front when every cheaper-or-equal point has a
    /// strictly lower F1. Ties: of points with the same cost only the best F1 can be on the front; of several with the same
    /// cost and the same F1 the first in input order is kept. A point with a higher cost and the same F1 as a cheaper one is
    /// dominated. Infinite costs take part as ordinary values.
    /// </remarks>
    public static IReadOnlyList<EfficiencyPoint> Front(IEnumerable<EfficiencyPoint> points, Func<EfficiencyPoint, double> cost)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(cost);
        var sorted = points
            .Select((p, i) => (Point: p, Cost: cost(p), Index: i))
            .Where(x => !double.IsNaN(x.Point.MacroF1) && !double.IsNaN(x.Cost))
            .OrderBy(x => x.Cost)
            .ThenByDescending(x => x.Point.MacroF1)
            .ThenBy(x => x.Index)
            .ToList();
        var front = new List<EfficiencyPoint>();
        var best = double.NegativeInfinity;
        foreach (var x in sorted)
        {
            if (x.Point.MacroF1 > best)
            {
                front.Add(x.Point);
                best = x.Point.MacroF1;
            }
        }
        return front;
    }
}
