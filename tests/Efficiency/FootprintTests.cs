using System.Globalization;
using System.Text.Json;
using TinierHar.Efficiency;
using TinierHar.Export;
using TinierHar.Models;
using TinierHar.Tests.Cli;
using TinierHar.Tests.Export;
using TorchSharp;

namespace TinierHar.Tests.Efficiency;

/// <summary>
/// The footprint table: params and MACs equal the reference's efficiency.csv on all 14 shapes; the weight and activation
/// bytes it reports equal what the compiled C object actually holds (read-only and other static data, summed over
/// the object's symbols by binutils' nm); the CLI's table and error path.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class FootprintTests
{
    [Fact]
    public void Covers_the_14_shapes_with_the_reference_params_and_MACs()
    {
        var reference = File.ReadLines(TestPaths.EfficiencyCsv).Skip(1).Select(l => l.Split(','))
            .Where(f => f[1] == "TinierHAR").ToDictionary(f => f[0], f => (Params: long.Parse(f[5], CultureInfo.InvariantCulture), Macs: long.Parse(f[6], CultureInfo.InvariantCulture)));
        var rows = Footprint.AllDatasets(new ModelSpec(ModelCatalog.TinierHar));
        Assert.Equal(14, rows.Count);
        Assert.Equal(reference.Keys.Order(), rows.Select(r => r.Dataset).Order());
        foreach (var r in rows)
        {
            Assert.Equal(reference[r.Dataset], (r.Params, r.Macs));
            Assert.True(r.Fits(McuBudget.Wearable), $"{r.Dataset}: {r.WeightBytes} B weights, {r.ActivationBytes} B activations");
        }
    }

    [Theory]
    [InlineData("uschad")]
    [InlineData("oppo")]
    public void Reported_bytes_are_what_the_compiled_object_holds(string dataset)
    {
        torch.manual_seed(3);
        var spec = new ModelSpec(ModelCatalog.TinierHar).Resolve();
        var shape = DatasetShapes.All[dataset];
        var row = Footprint.Of(spec, dataset, shape);
        using var model = ModelCatalog.Create(spec, shape);
        using var source = ExportSource.Of(model, spec, shape, "footprint test");
        var dir = CHarness.TempDir("footprint");
        try
        {
            var export = RunExport.ToC(source);
            RunExport.WriteAtomically(dir, export.Files);
            var (readOnly, zeroed) = CHarness.DeclaredBytes(dir, export.Prefix);
            Assert.Equal(readOnly, row.WeightBytes);
            Assert.Equal(zeroed, row.ActivationBytes);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [CortexM4Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cortex_M4_build_holds_the_declared_weights_and_buffers(bool int8)
    {
        var row = Footprint.Of(new ModelSpec(ModelCatalog.TinierHar), "hapt", DatasetShapes.All["hapt"], int8, cortexM4: true);
        Assert.NotNull(row.Flash);
        Assert.NotNull(row.Ram);
        // The image holds the weights and the buffers, plus code and libm (a few KB): not less, not much more.
        Assert.InRange(row.Flash!.Value, row.WeightBytes, row.WeightBytes + 64 * 1024);
        Assert.InRange(row.Ram!.Value, row.ActivationBytes, row.ActivationBytes + 1024);
    }

    [Fact]
    public void The_readme_footprint_table_is_what_the_library_computes()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.Repository, "README.md"));
        const string begin = "<!-- footprint: tinierhar footprint --markdown -->\n", end = "<!-- /footprint -->";
        int i = readme.IndexOf(begin, StringComparison.Ordinal);
        Assert.True(i >= 0, "README.md has no footprint block");
        i += begin.Length;
        var block = readme[i..readme.IndexOf(end, i, StringComparison.Ordinal)];
        Assert.Equal(FootprintTable.Markdown(), block); // when it differs: paste `tinierhar footprint --markdown` between the markers
    }

    [Fact]
    public void Cli_prints_the_table_and_json_and_refuses_an_unknown_dataset()
    {
        var (code, stdout, stderr) = CliRunner.Run("footprint", "--model", "tinierhar", "--dataset", "all", "--json");
        Assert.True(code == 0, stderr);
        var rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(14, rows.Count);
        var uschad = rows.Single(r => r.GetProperty("dataset").GetString() == "uschad");
        Assert.Equal(7483, uschad.GetProperty("params").GetInt64());
        Assert.Equal(1394096, uschad.GetProperty("macs").GetInt64());
        Assert.True(uschad.GetProperty("fits_wearable_mcu").GetBoolean());

        (code, stdout, stderr) = CliRunner.Run("footprint", "--model", "tinierhar", "--dataset", "hapt");
        Assert.True(code == 0, stderr);
        Assert.Equal(2, stdout.TrimEnd().Split('\n').Length);
        Assert.Contains("7,483", stdout);

        (code, _, stderr) = CliRunner.Run("footprint", "--model", "tinierhar", "--dataset", "nope");
        Assert.Equal(2, code);
        Assert.Contains("option --dataset: unknown dataset 'nope'", stderr);
    }
}
