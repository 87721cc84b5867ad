using TinierHar.Training;

namespace TinierHar.Analysis;

/// <summary>
/// Macro F1 of one configuration minus another's on the same dataset, paired over the (seed, fold) runs both finished:
/// the mean of the per-run differences with a two-sided 95 % Student-t confidence interval (mean ± t(0.975, n−1)·s/√n,
/// s the sample standard deviation of the differences). Folds are not independent samples of subjects' data in the
/// strict sense (their training sets overlap), so read the interval as a guide, as is usual for cross-validation.
/// </summary>
/// <param name="Dataset">Dataset key.</param>
/// <param name="Config">The configuration tested, e.g. "TinierHAR" or "TinierHAR w/o GRU".</param>
/// <param name="Against">The configuration subtracted, e.g. "TinyHAR" or "TinierHAR".</param>
/// <param name="Pairs">Runs both finished (folds × seeds).</param>
/// <param name="MeanDelta">Mean difference of macro F1 (positive: <paramref name="Config"/> scores higher).</param>
/// <param name="Low">Lower end of the 95 % interval (NaN with fewer than two pairs).</param>
/// <param name="High">Upper end of the 95 % interval (NaN with fewer than two pairs).</param>
/// <param name="Wins">Pairs where <paramref name="Config"/> scores higher.</param>
/// <param name="Std">Sample standard deviation of the per-run differences (NaN with fewer than two pairs).</param>
public sealed record PairedDifference(string Dataset, string Config, string Against, int Pairs, double MeanDelta, double Low, double High, int Wins, double Std)
{
    /// <summary>Pairs the finished rows of <paramref name="a"/> and <paramref name="b"/> on (preset, seed, fold).</summary>
    public static PairedDifference Of(string dataset, string config, IEnumerable<ResultRow> a, string against, IEnumerable<ResultRow> b)
    {
        static (string, int, int) Pair(ResultRow r) => (r.Key.Preset, r.Key.Seed, r.Key.Fold);
        var other = b.Where(r => r.Status == ResultRow.Done).ToDictionary(Pair, r => r.MacroF1);
        var d = a.Where(r => r.Status == ResultRow.Done && other.ContainsKey(Pair(r))).Select(r => r.MacroF1 - other[Pair(r)]).ToArray();
        var (low, high) = Interval95(d);
        return new PairedDifference(dataset, config, against, d.Length, d.Length > 0 ? d.Average() : double.NaN, low, high, d.Count(x => x > 0),
            d.Length > 1 ? Metrics.SampleStd(d) : double.NaN);
    }

    /// <summary>The 95 % Student-t interval of the mean of <paramref name="values"/> (NaN, NaN for fewer than two).</summary>
    public static (double Low, double High) Interval95(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return (double.NaN, double.NaN);
        var mean = Metrics.Mean(values);
        var half = StudentT.Quantile(0.975, values.Count - 1) * Metrics.SampleStd(values) / Math.Sqrt(values.Count);
        return (mean - half, mean + half);
    }

    /// <summary>True when the interval lies wholly above or below zero.</summary>
    public bool Significant => Low > 0 || High < 0;
}
