using TinierHar.Analysis;

namespace TinierHar.Tests.Analysis;

/// <summary>The abstract's reductions recomputed from our counter (docs/reference.md section 1).</summary>
public class ReductionRatiosTests
{
    [Fact]
    public void Mean_of_ratios_gives_specs_recomputed_values_and_43_3_does_not_match()
    {
        var rows = ReductionRatios.Compute(CostTables.PaperDatasets());
        Assert.Equal(["parameters, TinyHAR / TinierHAR", "parameters, DeepConvLSTM / TinierHAR", "MACs, TinyHAR / TinierHAR", "MACs, DeepConvLSTM / TinierHAR"],
            rows.Select(r => r.Claim));
        Assert.Equal([2.7, 43.3, 6.4, 58.6], rows.Select(r => r.Paper));
        Assert.Equal([2.668, 43.597, 6.382, 58.645], rows.Select(r => Math.Round(r.MeanOfRatios, 3)));
        Assert.Equal([true, false, true, true], rows.Select(r => r.Matches));
        Assert.All(rows, r => Assert.Equal(14, r.Datasets));
        // docs/reference.md section 1: ratio of means 2.00 / 43.14 / 6.72 / 60.58, geometric 2.48 / 43.59 / 6.36 / 58.47, median 2.47 / 43.45 / 6.41 / 59.51.
        Assert.Equal([2.00, 43.14, 6.72, 60.58], rows.Select(r => Math.Round(r.RatioOfMeans, 2)));
        Assert.Equal([2.48, 43.59, 6.36, 58.47], rows.Select(r => Math.Round(r.GeometricMean, 2)));
        Assert.Equal([2.47, 43.45, 6.41, 59.51], rows.Select(r => Math.Round(r.Median, 2)));
        Assert.Contains("no aggregate gives 43.3", rows[1].Note);
        Assert.Contains("cause unknown", rows[1].Note);
        Assert.StartsWith("matches", rows[0].Note);
    }

    [Fact]
    public void Datasets_without_all_three_models_are_left_out_synthetic()
    {
        // Synthetic costs: mechanics only.
        var costs = new List<ModelCost>
        {
            new("a", "tinierhar", 10, 100), new("a", "tinyhar", 20, 400), new("a", "deepconvlstm", 400, 6000),
            new("b", "tinierhar", 10, 100),
        };
        var rows = ReductionRatios.Compute(costs);
        Assert.All(rows, r => Assert.Equal(1, r.Datasets));
        Assert.Equal(2.0, rows[0].MeanOfRatios);
        Assert.Equal(60.0, rows[3].Median);
        Assert.Throws<TinierHarException>(() => ReductionRatios.Compute([costs[3]]));
    }
}
