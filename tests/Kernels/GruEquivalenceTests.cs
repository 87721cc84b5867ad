using TinierHar.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Kernels;

/// <summary>
/// <see cref="FusedGru"/> against TorchSharp's own GRU module on random inputs (synthetic, for the mechanics): batch
/// sizes that do and do not fill whole vector blocks, one and two directions, several input and hidden sizes. The
/// outputs agree within 1e-5 absolute and every gradient (input and the eight parameters) within 1e-4 of the largest
/// element of that gradient.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class GruEquivalenceTests
{
    [Theory]
    [InlineData(1, 100, 48, 16, true)]
    [InlineData(13, 25, 23, 8, true)]
    [InlineData(32, 50, 6, 32, true)]
    [InlineData(9, 17, 5, 16, false)]
    public void Fast_gru_matches_the_module(int batch, int steps, int inputs, int hidden, bool bidirectional)
    {
        torch.manual_seed(3);
        using var gru = nn.GRU(inputs, hidden, numLayers: 1, batchFirst: true, bidirectional: bidirectional);
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(batch, steps, inputs) * 2;
        var weights = torch.randn(batch, steps, (bidirectional ? 2 : 1) * hidden);

        var (plainOut, plainGrads) = Run(gru, x, weights, fast: false);
        var (fastOut, fastGrads) = Run(gru, x, weights, fast: true);

        double diff = (plainOut - fastOut).abs().max().item<float>();
        Assert.True(diff <= 1e-5, $"output: max |plain − fast| = {diff:E2}");
        Assert.Equal(plainGrads.Keys.Order(), fastGrads.Keys.Order());
        foreach (var (name, expected) in plainGrads)
        {
            double scale = expected.abs().max().item<float>();
            double d = (expected - fastGrads[name]).abs().max().item<float>();
            Assert.True(scale > 0, $"{name}: the gradient is all zero");
            Assert.True(d <= 1e-4 * scale, $"{name}: max |plain − fast| = {d:E2}, relative {d / scale:E2} > 1e-4");
        }

        using (torch.no_grad())
        {
            double evalDiff = (gru.call(x, null).Item1 - FusedGru.Forward(gru, x)).abs().max().item<float>();
            Assert.True(evalDiff <= 1e-5, $"no-grad output: max |plain − fast| = {evalDiff:E2}");
        }
    }

    [Fact]
    public void Fast_gru_refuses_a_stacked_gru()
    {
        using var gru = nn.GRU(4, 8, numLayers: 2, batchFirst: true);
        using var x = torch.randn(2, 5, 4);
        var e = Assert.Throws<ArgumentException>(() => FusedGru.Forward(gru, x));
        Assert.Contains("single-layer", e.Message);
    }

    static (Tensor Output, Dictionary<string, Tensor> Grads) Run(nn.Module<Tensor, Tensor?, (Tensor, Tensor)> gru, Tensor x, Tensor weights, bool fast)
    {
        gru.zero_grad();
        var input = x.detach().requires_grad_(true);
        var output = fast ? FusedGru.Forward((TorchSharp.Modules.GRU)gru, input) : gru.call(input, null).Item1;
        (output * weights).sum().backward();
        var grads = gru.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        grads["input"] = input.grad!.clone();
        return (output.detach(), grads);
    }
}
