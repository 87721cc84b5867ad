using System.Globalization;
using TinierHar.Models;
using TinierHar.Training;

namespace TinierHar.Analysis;

/// <summary>One headline reduction claim of the paper recomputed four ways over the datasets.</summary>
/// <param name="Claim">E.g. "parameters, TinyHAR / TinierHAR".</param>
/// <param name="Paper">The paper's number (abstract): 2.7, 43.3, 6.4 or 58.6.</param>
/// <param name="MeanOfRatios">Mean over datasets of baseline/TinierHAR (the aggregate that reproduces the paper's other three numbers).</param>
/// <param name="RatioOfMeans">Mean baseline cost / mean TinierHAR cost.</param>
/// <param name="GeometricMean">Geometric mean of the per-dataset ratios.</param>
/// <param name="Median">Median of the per-dataset ratios.</param>
/// <param name="Matches">MeanOfRatios rounded to 1 decimal equals <paramref name="Paper"/>.</param>
/// <param name="Note">What matches and what does not (docs/reference.md section 1).</param>
/// <param name="Datasets">Number of datasets behind the numbers.</param>
public sealed record RatioRow(string Claim, double Paper, double MeanOfRatios, double RatioOfMeans, double GeometricMean, double Median,
    bool Matches, string Note, int Datasets = 0);

/// <summary>
/// The abstract's reductions (parameters 2.7× vs TinyHAR and 43.3× vs DeepConvLSTM, MACs 6.4× and 58.6×) recomputed
/// from per-dataset costs (docs/reference.md section 1): the mean of per-dataset ratios gives 2.668 / 43.597 / 6.382 / 58.645,
/// so 2.7, 6.4 and 58.6 match but 43.6 ≠ 43.3, and no other aggregate (ratio of means, geometric mean, median) gives
/// 43.3 either; the cause is unknown.
/// </summary>
public static class ReductionRatios
{
    static readonly (string Metric, string Baseline, double Paper)[] Claims =
    [
        ("parameters", ModelCatalog.TinyHar, 2.7),
        ("parameters", ModelCatalog.DeepConvLstm, 43.3),
        ("MACs", ModelCatalog.TinyHar, 6.4),
        ("MACs", ModelCatalog.DeepConvLstm, 58.6),
    ];

    /// <summary>The four claims over the datasets that have all three models in <paramref name="costs"/> (e.g. <see cref="CostTables.PaperDatasets"/>).</summary>
    public static IReadOnlyList<RatioRow> Compute(IReadOnlyList<ModelCost> costs)
    {
        var byDataset = costs.GroupBy(c => c.Dataset)
            .Select(g => g.ToDictionary(c => c.Model.ToLowerInvariant(), c => c))
            .Where(d => ModelCatalog.Models.All(d.ContainsKey))
            .ToList();
        if (byDataset.Count == 0) throw new TinierHarException("no dataset has costs of all three models");
        var rows = new List<RatioRow>();
        foreach (var (metric, baseline, paper) in Claims)
        {
            Func<ModelCost, double> value = metric == "parameters" ? c => c.Parameters : c => c.Macs;
            var ratios = byDataset.Select(d => value(d[baseline]) / value(d[ModelCatalog.TinierHar])).ToArray();
            double mean = ratios.Average();
            double ofMeans = byDataset.Average(d => value(d[baseline])) / byDataset.Average(d => value(d[ModelCatalog.TinierHar]));
            double geo = Math.Exp(ratios.Average(Math.Log));
            double median = Metrics.Median(ratios);
            bool matches = Round1(mean) == paper;
            var claim = $"{metric}, {DesignSpace.DisplayName(new ModelSpec(baseline))} / TinierHAR";
            rows.Add(new RatioRow(claim, paper, mean, ofMeans, geo, median, matches, Note(paper, mean, ofMeans, geo, median, matches, byDataset.Count), byDataset.Count));
        }
        return rows;
    }

    static string Note(double paper, double mean, double ofMeans, double geo, double median, bool matches, int n)
    {
        string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
        string P(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
        if (matches)
            return $"matches: the mean over the {n} datasets of the per-dataset ratio, {F(mean)}, rounds to the paper's {P(paper)}";
        var others = new[] { ofMeans, geo, median };
        bool anyOther = others.Any(v => Round1(v) == paper);
        return anyOther
            ? $"the mean of per-dataset ratios gives {F(mean)}, not {P(paper)}; another aggregate does round to {P(paper)} (ratio of means {F(ofMeans)}, geometric mean {F(geo)}, median {F(median)})"
            : $"does not match: the mean of per-dataset ratios gives {F(mean)} ({P(mean)}), not {P(paper)}; no aggregate gives {P(paper)} " +
              $"(ratio of means {F(ofMeans)}, geometric mean {F(geo)}, median {F(median)}); cause unknown (docs/reference.md section 1)";
    }

    static double Round1(double v) => Math.Round(v, 1, MidpointRounding.AwayFromZero);
}
