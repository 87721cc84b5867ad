using TinierHar.Export;
using TinierHar.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Export;

/// <summary>
/// The C export of seeded, randomly initialised TinierHAR models (BatchNorm statistics and affine parameters set to
/// non-trivial values so that folding is exercised), compiled with gcc and run on 16 random windows: logits within
/// 1e-4 absolute of TorchSharp's eval forward. Seeds the global RNG, hence the serial collection.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class CExportTests
{
    [Theory]
    [InlineData(400, 6, 12)]
    [InlineData(200, 23, 12)]
    public void Compiled_C_matches_TorchSharp(int window, int channels, int classes)
    {
        torch.manual_seed(7);
        var spec = new ModelSpec(ModelCatalog.TinierHar);
        var shape = new InputShape(window, channels, classes);
        using var model = ModelCatalog.Create(spec, shape);
        PerturbBatchNorm(model);
        model.eval();
        var dir = CHarness.TempDir("cexport");
        try
        {
            var export = TinierHarCExporter.Export(model, spec, shape, "seed 7 */ not a comment end");
            RunExport.WriteAtomically(dir, export.Files);
            Assert.DoesNotContain("malloc(", export.Source);
            long parameters = model.parameters().Sum(p => p.numel());
            long batchNorm = model.modules().OfType<TorchSharp.Modules.BatchNorm2d>().Sum(m => m.parameters().Sum(p => p.numel()));
            Assert.Equal(4 * (parameters - batchNorm), export.WeightBytes); // BatchNorm folded into the conv before it
            Assert.Equal(["#include <math.h>", "#include \"tinierhar.h\""],
                export.Source.Split('\n').Where(l => l.StartsWith("#include", StringComparison.Ordinal)));
            var exe = CHarness.Compile(dir, export.Prefix);
            using var windows = torch.randn(16, 1, window, channels);
            var expected = CHarness.RunTorch(model, windows);
            var actual = CHarness.RunC(exe, windows, classes);
            var diff = CHarness.MaxAbsDiff(expected, actual);
            Assert.True(diff <= 1e-4, $"C logits differ from TorchSharp by {diff:E3}");
            Assert.True(CHarness.Spread(expected) > 1e-3, "the logits do not vary between windows: the comparison would prove little");
            // The latency benchmark's fastest build (-O3 -march=native -ffast-math) computes the same logits.
            var native = CHarness.MaxAbsDiff(expected, CHarness.RunC(HostBuild.Compile(dir, export.Prefix, HostBuild.Native), windows, classes));
            Assert.True(native <= 1e-4, $"the {string.Join(' ', HostBuild.Native)} build differs from TorchSharp by {native:E3}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Buffer_plan_alternates_and_sizes_to_the_largest_step()
    {
        var plan = new BufferPlan([("a", 10), ("b", 30), ("c", 20)]);
        Assert.Equal([0, 1, 0], plan.Steps.Select(s => s.Buffer));
        Assert.Equal(30, plan.BufferFloats);
    }

    [Fact]
    public void Float_literals_are_valid_C()
    {
        Assert.Equal("1.0f", CSource.Float(1f));
        Assert.Equal("-0.5f", CSource.Float(-0.5f));
        Assert.Equal("1E-05f", CSource.Float(1e-5f));
        Assert.Throws<TinierHarException>(() => CSource.Float(float.NaN));
    }

    /// <summary>Sets every BatchNorm's running mean, running variance, γ and β to random values away from 0/1.</summary>
    internal static void PerturbBatchNorm(nn.Module model)
    {
        using var _ = torch.no_grad();
        var sd = model.state_dict();
        foreach (var key in sd.Keys.Where(k => k.EndsWith(".running_mean", StringComparison.Ordinal)).ToList())
        {
            var bn = key[..^"running_mean".Length];
            var n = sd[key].shape[0];
            sd[key].copy_(torch.randn(n) * 0.3);
            sd[bn + "running_var"].copy_(torch.rand(n) * 1.5 + 0.5);
            sd[bn + "weight"].copy_(torch.rand(n) + 0.5);
            sd[bn + "bias"].copy_(torch.randn(n) * 0.2);
        }
    }
}
