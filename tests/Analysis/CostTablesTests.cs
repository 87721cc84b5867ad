using TinierHar.Analysis;
using TinierHar.Models;

namespace TinierHar.Tests.Analysis;

/// <summary>Cost tables from our counter; the 42 paper rows equal the reference's efficiency.csv.</summary>
public class CostTablesTests
{
    [Fact]
    public void Paper_datasets_equal_the_reference_efficiency_csv()
    {
        var ours = CostTables.PaperDatasets();
        Assert.Equal(42, ours.Count);
        var lines = File.ReadAllLines(TestPaths.EfficiencyCsv).Skip(1).Where(l => l.Length > 0).ToList();
        Assert.Equal(42, lines.Count);
        foreach (var line in lines)
        {
            var f = line.Split(',');
            var row = Assert.Single(ours, c => c.Dataset == f[0] && c.Model == f[1].ToLowerInvariant());
            Assert.True(long.Parse(f[5]) == row.Parameters, $"{line}: params {row.Parameters}");
            Assert.True(long.Parse(f[6]) == row.Macs, $"{line}: MACs {row.Macs}");
        }
    }

    [Fact]
    public void Layers_end_with_a_total_that_is_the_sum()
    {
        var layers = CostTables.Layers(new ModelSpec("tinierhar"), new InputShape(200, 23, 12));
        var total = layers[^1];
        Assert.Equal("Total", total.Layer);
        Assert.Equal(20539, total.Parameters);   // docs/reference.md section 10
        Assert.Equal(layers.SkipLast(1).Sum(l => l.Parameters), total.Parameters);
        Assert.Equal(layers.SkipLast(1).Sum(l => l.Macs), total.Macs);
        Assert.Contains(layers, l => l.Layer == "gru" && l.Type == "GRU");
    }

    [Fact]
    public void Variants_list_full_first_with_changes_against_it()
    {
        var shape = new InputShape(400, 6, 12);
        var v = CostTables.Variants("tinierhar", shape);
        Assert.Equal(["full", "no-residual", "no-attention", "no-gru", "no-conv"], v.Select(x => x.Variant));
        Assert.Equal((0.0, 0.0), (v[0].ParametersChangePercent, v[0].MacsChangePercent));
        Assert.Equal("TinierHAR w/o GRU", v[3].Label);
        var noResidual = v[1];
        Assert.Equal(v[0].Parameters, noResidual.Parameters);   // docs/reference.md section 7: same params, fewer MACs
        Assert.True(noResidual.MacsChangePercent < 0);
        Assert.Equal(100.0 * (v[3].Parameters - v[0].Parameters) / v[0].Parameters, v[3].ParametersChangePercent, 9);
        Assert.Equal(["full", "no-conv", "no-lstm"], CostTables.Variants("deepconvlstm", shape).Select(x => x.Variant));
    }
}
