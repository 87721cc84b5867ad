using TinierHar.Models;
using TinierHar.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Native;

/// <summary>
/// oneDNN is switched on only for models outside the convolution bug (lib/Native/OneDnn.cs). The switch is
/// process-wide, so these tests run alone.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class OneDnnTests
{
    static readonly InputShape UscHad = new(400, 6, 12);

    static nn.Module<Tensor, Tensor> Model(string name, string variant = "full") => ModelCatalog.Create(new ModelSpec(name, variant), UscHad);

    static bool Switchable => Environment.GetEnvironmentVariable("TINIERHAR_MKLDNN") is null && TorchSetup.MkldnnDisabled;

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

    [Fact]
    public void Scope_turns_onednn_on_for_deepconvlstm_only_and_restores_it()
    {
        TorchSetup.EnsureInitialized();
        if (!Switchable) return;
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

    [Fact]
    public async Task A_scope_of_the_other_mode_waits_until_the_first_is_disposed()
    {
        TorchSetup.EnsureInitialized();
        if (!Switchable) return;
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

    /// <summary>
    /// The characterisation behind the rule, on synthetic random inputs: with oneDNN on, (5,1) convolutions with 1, 16,
    /// 32 or 64 input channels match float64 forward and backward; with 20 they are wrong (if a libtorch update fixes
    /// this, this test fails and the workaround in TorchSetup/OneDnn can go).
    /// </summary>
    [Fact]
    public void Onednn_convolutions_are_right_for_1_16_32_64_input_channels_and_wrong_for_20()
    {
        TorchSetup.EnsureInitialized();
        if (!Switchable) return;
        using var dcl = Model(ModelCatalog.DeepConvLstm);
        using var scope = OneDnn.For(dcl);
        Assert.True(TorchSetup.MkldnnEnabled());
        torch.manual_seed(3);
        foreach (long cin in new long[] { 1, 16, 32, 64, 20 })
            foreach (long stride in new long[] { 1, 2 })
            {
                using var d = torch.NewDisposeScope();
                var conv = nn.Conv2d(cin, 64, (5, 1), stride: (stride, 1));
                var x = torch.randn(8, cin, 120, 6).requires_grad_(true);
                var y = conv.call(x);
                var g = torch.randn_like(y);
                var grads = torch.autograd.grad([y], [x, conv.weight!], [g]);
                var x64 = x.detach().to_type(ScalarType.Float64).requires_grad_(true);
                var w64 = conv.weight!.detach().to_type(ScalarType.Float64).requires_grad_(true);
                var e = nn.functional.conv2d(x64, w64, conv.bias!.detach().to_type(ScalarType.Float64), strides: [stride, 1]);
                var eg = torch.autograd.grad([e], [x64, w64], [g.to_type(ScalarType.Float64)]);
                bool forwardRight = y.to_type(ScalarType.Float64).allclose(e, rtol: 1e-4, atol: 1e-4);
                if (cin == 20) { Assert.False(forwardRight, $"oneDNN Conv2d(20, 64, (5,1), stride {stride}) was right"); continue; }
                Assert.True(forwardRight, $"oneDNN Conv2d({cin}, 64, (5,1), stride {stride}) forward differs from float64");
                Assert.True(grads[0].to_type(ScalarType.Float64).allclose(eg[0], rtol: 1e-3, atol: 1e-3), $"input gradient, {cin} channels");
                Assert.True(grads[1].to_type(ScalarType.Float64).allclose(eg[1], rtol: 1e-3, atol: 1e-2), $"weight gradient, {cin} channels");
            }
    }

    [Fact]
    public void Deepconvlstm_gives_the_same_logits_and_gradients_with_and_without_onednn()
    {
        TorchSetup.EnsureInitialized();
        if (!Switchable) return;
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
