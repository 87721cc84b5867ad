using TinierHar.Models;
using TinierHar.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Native;

/// <summary>
/// oneDNN is switched on only for models outside the convolution bug (lib/Native/OneDnn.cs). The tests check the gate
/// and that oneDNN agrees with the plain path wherever the gate switches it on; none requires the bug to exist (it does
/// not reproduce on every CPU). The switch is process-wide, so these tests run alone.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class OneDnnTests
{
    static readonly InputShape UscHad = new(400, 6, 12);

    static nn.Module<Tensor, Tensor> Model(string name, string variant = "full") => ModelCatalog.Create(new ModelSpec(name, variant), UscHad);

    [Fact]
    public void Only_deepconvlstm_with_convolutions_qualifies()
    {
        TorchSetup.EnsureInitialized();
        foreach (var model in ModelCatalog.Models)
            foreach (var variant in ModelCatalog.Variants[model].Prepend("full"))
            {
                using var m = Model(model, variant);
                bool expected = model == ModelCatalog.DeepConvLstm && variant != "no-conv";
                Assert.True(expected == OneDnn.IsSafeFor(m), $"{model}/{variant}: expected safe = {expected}");
                Assert.False(OneDnn.IsSafeFor(m, ScalarType.Float64), $"{model}/{variant} in float64");
            }
    }

    [OneDnnSwitchFact]
    public void Scope_turns_onednn_on_for_deepconvlstm_only_and_restores_it()
    {
        TorchSetup.EnsureInitialized();
        Assert.True(TorchSetup.MkldnnDisabled, "TorchSetup could not switch oneDNN off (libtorch_cpu entry points missing)");
        using var dcl = Model(ModelCatalog.DeepConvLstm);
        using var tiny = Model(ModelCatalog.TinyHar);
        Assert.False(TorchSetup.MkldnnEnabled());
        using (OneDnn.For(dcl)) Assert.True(TorchSetup.MkldnnEnabled());
        Assert.False(TorchSetup.MkldnnEnabled());
        using (OneDnn.For(tiny)) Assert.False(TorchSetup.MkldnnEnabled());
        using (OneDnn.For(dcl, ScalarType.Float64)) Assert.False(TorchSetup.MkldnnEnabled());
        using (OneDnn.For(dcl))
        using (OneDnn.For(dcl)) // same mode: shared
            Assert.True(TorchSetup.MkldnnEnabled());
        Assert.False(TorchSetup.MkldnnEnabled());
    }

    [OneDnnSwitchFact]
    public async Task A_scope_of_the_other_mode_waits_until_the_first_is_disposed()
    {
        TorchSetup.EnsureInitialized();
        Assert.True(TorchSetup.MkldnnDisabled, "TorchSetup could not switch oneDNN off (libtorch_cpu entry points missing)");
        using var dcl = Model(ModelCatalog.DeepConvLstm);
        using var tiny = Model(ModelCatalog.TinyHar);
        using var entered = new ManualResetEventSlim();
        bool? onednnInside = null;
        var first = OneDnn.For(dcl);
        var other = Task.Run(() =>
        {
            using (OneDnn.For(tiny)) { onednnInside = TorchSetup.MkldnnEnabled(); entered.Set(); }
        });
        Assert.False(entered.Wait(300), "the TinyHAR scope entered while oneDNN was on for DeepConvLSTM");
        first.Dispose();
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)), "the TinyHAR scope never entered");
        await other;
        Assert.False(onednnInside);
    }

    static nn.Module<Tensor, Tensor> Convolution(long inChannels, long groups = 1) =>
        nn.Sequential(("conv", nn.Conv2d(inChannels, 64, (5, 1), groups: groups)));

    /// <summary>
    /// Deterministic, whatever the CPU: models with 20- or 40-channel convolutions (TinyHAR's; where libtorch 2.10's
    /// oneDNN has computed (5,1) convolutions wrongly, DEVELOPERS.md) never get oneDNN, also right after a DeepConvLSTM
    /// scope has switched it on and off, and neither do grouped convolutions nor float64 models.
    /// </summary>
    [OneDnnSwitchFact]
    public void The_gate_keeps_onednn_off_for_20_and_40_channel_convolutions()
    {
        TorchSetup.EnsureInitialized();
        Assert.True(TorchSetup.MkldnnDisabled, "TorchSetup could not switch oneDNN off (libtorch_cpu entry points missing)");
        using var dcl = Model(ModelCatalog.DeepConvLstm);
        using var tiny = Model(ModelCatalog.TinyHar);
        using var c20 = Convolution(20);
        using var c40 = Convolution(40);
        using var depthwise = Convolution(16, groups: 16);
        using var c16 = Convolution(16);
        Assert.All(new[] { tiny, c20, c40, depthwise }, m => Assert.False(OneDnn.IsSafeFor(m)));
        Assert.True(OneDnn.IsSafeFor(c16));
        Assert.False(OneDnn.IsSafeFor(c16, ScalarType.Float64));
        using (OneDnn.For(dcl)) Assert.True(TorchSetup.MkldnnEnabled());
        foreach (var m in new[] { tiny, c20, c40, depthwise })
            using (OneDnn.For(m)) Assert.False(TorchSetup.MkldnnEnabled());
        using (OneDnn.For(c16, ScalarType.Float64)) Assert.False(TorchSetup.MkldnnEnabled());
        Assert.False(TorchSetup.MkldnnEnabled());
    }

    /// <summary>
    /// Wherever the gate switches oneDNN on (a (5,1) convolution with 1, 16, 32 or 64 input channels, groups 1, float32),
    /// oneDNN's forward pass and gradients agree with the plain ATen path on the same synthetic random input.
    /// </summary>
    [OneDnnSwitchFact]
    public void Where_the_gate_switches_onednn_on_convolutions_agree_with_the_plain_path()
    {
        TorchSetup.EnsureInitialized();
        Assert.True(TorchSetup.MkldnnDisabled, "TorchSetup could not switch oneDNN off (libtorch_cpu entry points missing)");
        torch.manual_seed(3);
        foreach (long cin in new long[] { 1, 16, 32, 64 })
            foreach (long stride in new long[] { 1, 2 })
            {
                using var d = torch.NewDisposeScope();
                var conv = nn.Conv2d(cin, 64, (5, 1), stride: (stride, 1));
                using var model = nn.Sequential(("conv", conv));
                var x = torch.randn(8, cin, 120, 6);
                var g = torch.randn(8, 64, (120 - 5) / stride + 1, 6);
                (Tensor Y, Tensor Dx, Tensor Dw) Pass()
                {
                    var xi = x.detach().requires_grad_(true);
                    var y = model.call(xi);
                    var grads = torch.autograd.grad([y], [xi, conv.weight!], [g]);
                    return (y.detach(), grads[0], grads[1]);
                }
                Assert.False(TorchSetup.MkldnnEnabled());
                var plain = Pass();
                (Tensor Y, Tensor Dx, Tensor Dw) fast;
                using (OneDnn.For(model))
                {
                    Assert.True(TorchSetup.MkldnnEnabled(), $"the gate did not switch oneDNN on for Conv2d({cin}, 64)");
                    fast = Pass();
                }
                Assert.True(fast.Y.allclose(plain.Y, rtol: 1e-4, atol: 1e-4), $"Conv2d({cin}, 64, (5,1), stride {stride}): forward, max |Δ| {(fast.Y - plain.Y).abs().max().item<float>()}");
                Assert.True(fast.Dx.allclose(plain.Dx, rtol: 1e-3, atol: 1e-3), $"Conv2d({cin}, 64, (5,1), stride {stride}): input gradient");
                Assert.True(fast.Dw.allclose(plain.Dw, rtol: 1e-3, atol: 1e-2), $"Conv2d({cin}, 64, (5,1), stride {stride}): weight gradient");
            }
    }

    [OneDnnSwitchFact]
    public void Deepconvlstm_gives_the_same_logits_and_gradients_with_and_without_onednn()
    {
        TorchSetup.EnsureInitialized();
        Assert.True(TorchSetup.MkldnnDisabled, "TorchSetup could not switch oneDNN off (libtorch_cpu entry points missing)");
        torch.manual_seed(5);
        using var dcl = Model(ModelCatalog.DeepConvLstm);
        dcl.eval(); // dropout off
        using var x = torch.randn(16, 1, 400, 6); // synthetic input: numerical equivalence of the two backends
        (Tensor Logits, Tensor[] Grads) Pass()
        {
            dcl.zero_grad();
            var logits = dcl.call(x);
            logits.square().sum().backward();
            return (logits.detach().clone(), dcl.parameters().Select(p => p.grad!.detach().clone()).ToArray());
        }
        var (nativeLogits, nativeGrads) = Pass();
        (Tensor, Tensor[]) fast;
        using (OneDnn.For(dcl)) fast = Pass();
        var (fastLogits, fastGrads) = fast;
        Assert.True(fastLogits.allclose(nativeLogits, rtol: 1e-4, atol: 1e-5), $"max |Δ logit| {(fastLogits - nativeLogits).abs().max().item<float>()}");
        for (int i = 0; i < nativeGrads.Length; i++)
        {
            double scale = nativeGrads[i].abs().max().item<float>();
            double diff = (fastGrads[i] - nativeGrads[i]).abs().max().item<float>();
            Assert.True(diff <= 1e-3 * scale + 1e-6, $"parameter {i}: max |Δ grad| {diff} vs max |grad| {scale}");
        }
        foreach (var t in nativeGrads.Concat(fastGrads).Append(nativeLogits).Append(fastLogits)) t.Dispose();
    }
}
