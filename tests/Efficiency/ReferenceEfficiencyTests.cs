using TinierHar.Efficiency;
using TinierHar.Models;

namespace TinierHar.Tests.Efficiency;

/// <summary>Params and MACs of the three models on the 14 datasets equal the reference's ptflops log exactly.</summary>
public class ReferenceEfficiencyTests
{
    public static TheoryData<string, string, int, int, int, long, long> Rows()
    {
        var data = new TheoryData<string, string, int, int, int, long, long>();
        var lines = File.ReadAllLines(TestPaths.EfficiencyCsv);
        Assert.Equal("dataset,model,window_T,channels_C,classes_K,params,macs", lines[0]);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = line.Split(',');
            data.Add(f[0], f[1], int.Parse(f[2]), int.Parse(f[3]), int.Parse(f[4]), long.Parse(f[5]), long.Parse(f[6]));
        }
        return data;
    }

    [Fact]
    public void The_reference_file_has_42_rows() => Assert.Equal(42, Rows().Count());

    [Theory]
    [MemberData(nameof(Rows))]
    public void Counts_equal_the_reference(string dataset, string model, int t, int c, int k, long parameters, long macs)
    {
        using var m = ModelCatalog.Create(new ModelSpec(model.ToLowerInvariant()), new InputShape(t, c, k));
        var report = MacCounter.Count(m, 1, t, c);
        Assert.True(parameters == report.Params, $"{dataset} {model}: params {report.Params}, reference {parameters}");
        Assert.True(macs == report.Macs, $"{dataset} {model}: MACs {report.Macs}, reference {macs}");
    }
}
