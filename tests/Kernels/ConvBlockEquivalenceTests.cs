using TinierHar.Kernels;
using TinierHar.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinierHar.Tests.Kernels;

/// <summary>
/// TinierHAR on the fast path (fused conv blocks) against the plain TorchSharp path, on random inputs: forward within
/// 1e-5 absolute (training and eval mode), parameter gradients within 1e-4 relative (see
/// <see cref="AssertGradientsClose"/>), BatchNorm running statistics
/// equal to float rounding. Two models with the same state run the same batch; the global RNG is reseeded before
/// each forward so that dropout draws the same mask on both paths (hence the serial collection).
/// </summary>
[Collection(TorchRngCollection.Name)]
public class ConvBlockEquivalenceTests
{
    public static TheoryData<string, int, int, int, int> Variants()
    {
        var data = new TheoryData<string, int, int, int, int>();
        foreach (var variant in ModelCatalog.Variants[ModelCatalog.TinierHar].Prepend("full").Distinct())
            foreach (var (t, c, k) in Shapes) data.Add(variant, t, c, k, 3);
        foreach (var (t, c, k) in Shapes) { data.Add("full", t, c, k, 1); data.Add("full", t, c, k, 32); }
        return data;
    }

    public static TheoryData<int, int, int, int, int, int> DesignPoints()
    {
        var data = new TheoryData<int, int, int, int, int, int>();
        foreach (var (f, m, h) in new[] { (2, 2, 8), (8, 8, 32) })
            foreach (var (t, c, k) in Shapes) data.Add(f, m, h, t, c, k);
        return data;
    }

    static readonly (int T, int C, int K)[] Shapes = [(400, 6, 12), (200, 23, 12), (128, 9, 2), (151, 3, 4)];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_matches_the_plain_path(string variant, int t, int c, int k, int batch) =>
        AssertEquivalent(new ModelSpec(ModelCatalog.TinierHar, variant), new InputShape(t, c, k), batch);

    [Theory]
    [MemberData(nameof(DesignPoints))]
    public void Design_point_matches_the_plain_path(int f, int m, int h, int t, int c, int k) =>
        AssertEquivalent(new ModelSpec(ModelCatalog.TinierHar, Filters: f, Blocks: m, RecurrentUnits: h), new InputShape(t, c, k), 32);

    static void AssertEquivalent(ModelSpec spec, InputShape shape, int batch)
    {
        torch.manual_seed(11);
        using var plain = ModelCatalog.Create(spec, shape);
        using var fast = ModelCatalog.Create(spec, shape);
        fast.load_state_dict(plain.state_dict());
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(batch, 1, shape.Window, shape.Channels);

        // training mode, twice (the second forward uses the running statistics the first one updated only in eval)
        for (int step = 0; step < 2; step++)
        {
            plain.train(); fast.train();
            plain.zero_grad(); fast.zero_grad();
            var (yPlain, ranPlain) = Run(plain, x, fastPath: false, seed: 100 + step);
            var (yFast, ranFast) = Run(fast, x, fastPath: true, seed: 100 + step);
            bool hasConv = spec.Resolve().Variant != "no-conv";
            Assert.Equal(hasConv, ranPlain);
            Assert.False(ranFast, "the fast path ran a conv block's BatchNorm module");
            AssertClose(yPlain, yFast, 1e-5, "training-mode output");
            var weights = torch.randn(yPlain.shape);
            (yPlain * weights).sum().backward();
            (yFast * weights).sum().backward();
            AssertGradientsClose(plain, fast);
            AssertBuffersEqual(plain, fast);
        }

        plain.eval(); fast.eval();
        using (torch.no_grad())
            AssertClose(Run(plain, x, fastPath: false, seed: 200).Y, Run(fast, x, fastPath: true, seed: 200).Y, 1e-5, "eval-mode output");
    }

    /// <summary>Runs the model on one path; reports whether a BatchNorm inside a conv block ran as a module.</summary>
    static (Tensor Y, bool RanSubmodules) Run(nn.Module<Tensor, Tensor> model, Tensor x, bool fastPath, int seed)
    {
        bool ran = false;
        var removers = model.named_modules().Where(m => m.name.StartsWith("conv_blocks.", StringComparison.Ordinal) && m.module is BatchNorm2d)
            .Select(m => ((BatchNorm2d)m.module).register_forward_hook((_, _, y) => { ran = true; return y; })).ToList();
        try
        {
            torch.manual_seed(seed);
            using var plain = fastPath ? null : KernelSwitch.Plain();
            return (model.call(x), ran);
        }
        finally { removers.ForEach(r => r.remove()); }
    }

    static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff <= tolerance, $"{what}: max |plain − fast| = {diff:E2} > {tolerance:E0}");
    }

    /// <summary>
    /// Each parameter gradient within 1e-4 of the plain one, relative to the largest gradient element of its part of
    /// the model (a conv block, the GRU, the attention, the classifier): some gradients are zero up to rounding on both
    /// paths (the biases of the convs in front of a BatchNorm; the first block's pointwise weights, whose scale
    /// BatchNorm cancels), so they cannot be compared relative to themselves.
    /// </summary>
    static void AssertGradientsClose(nn.Module plain, nn.Module fast)
    {
        var fastParams = fast.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var plainParams = plain.named_parameters().ToList();
        var partScale = plainParams.Where(p => p.parameter.grad is not null)
            .GroupBy(p => Part(p.name))
            .ToDictionary(g => g.Key, g => g.Max(p => (double)p.parameter.grad!.abs().max().item<float>()));
        foreach (var (name, p) in plainParams)
        {
            var q = fastParams[name];
            Assert.True((p.grad is null) == (q.grad is null), $"{name}: gradient defined on one path only");
            if (p.grad is null) continue;
            double diff = (p.grad - q.grad!).abs().max().item<float>();
            double scale = partScale[Part(name)];
            Assert.True(scale > 0, $"{name}: the gradients of its part are all zero");
            Assert.True(diff <= 1e-4 * scale, $"{name}: max |plain − fast| = {diff:E2}, relative to its part {diff / scale:E2} > 1e-4");
        }
    }

    /// <summary>The top-level part a parameter belongs to: "conv_blocks.3", "gru", "attention", "classifier".</summary>
    static string Part(string parameter)
    {
        var s = parameter.Split('.');
        return s[0] == "conv_blocks" ? $"{s[0]}.{s[1]}" : s[0];
    }

    static void AssertBuffersEqual(nn.Module plain, nn.Module fast)
    {
        var fastBuffers = fast.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, b) in plain.named_buffers())
        {
            var f = fastBuffers[name];
            if (b.dtype == ScalarType.Int64) { Assert.True(b.equal(f).item<bool>(), $"{name}: {b.item<long>()} vs {f.item<long>()}"); continue; }
            double diff = (b - f).abs().max().item<float>(), scale = b.abs().max().item<float>();
            Assert.True(diff <= 1e-6 * Math.Max(scale, 1), $"{name}: max |plain − fast| = {diff:E2}");
        }
    }
}
