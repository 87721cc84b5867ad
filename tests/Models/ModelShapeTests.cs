using TinierHar.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Models;

/// <summary>Every model and variant maps (B,1,T,C) to (B,K) logits and trains (gradients reach every parameter).
/// The forward/backward test seeds the global torch RNG, so the class runs in the serial collection (a failure then
/// reproduces with the same weights and inputs).</summary>
[Collection(TorchRngCollection.Name)]
public class ModelShapeTests
{
    public static TheoryData<string, string> AllVariants()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in ModelCatalog.Models)
            foreach (var v in ModelCatalog.Variants[model].Prepend("full")) data.Add(model, v);
        return data;
    }

    static readonly (int T, int C, int K)[] Shapes = [(200, 23, 12), (128, 9, 6), (80, 3, 2), (132, 7, 19)];

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void Forward_and_backward_for_several_shapes(string model, string variant)
    {
        torch.manual_seed(1);
        foreach (var (t, c, k) in Shapes)
        {
            using var scope = torch.NewDisposeScope();
            var m = ModelCatalog.Create(new ModelSpec(model, variant), new InputShape(t, c, k));
            m.train();
            var x = torch.randn(3, 1, t, c);
            var logits = m.call(x);
            Assert.Equal(new long[] { 3, k }, logits.shape);
            Assert.False(logits.isnan().any().item<bool>(), $"{model}/{variant} T={t}: NaN logits");
            var loss = nn.functional.cross_entropy(logits, torch.tensor(new long[] { 0, 1, k - 1 }));
            loss.backward();
            // Parameters a variant builds but never runs (the reference keeps them) get no gradient; all others must.
            var unused = Unused(model, variant);
            foreach (var (name, p) in m.named_parameters())
            {
                if (unused.Any(u => name.StartsWith(u, StringComparison.Ordinal))) continue;
                Assert.True(p.grad is not null, $"{model}/{variant} T={t}: no gradient for {name}");
            }
            m.eval();
            using (torch.no_grad())
            {
                var a = m.call(x);
                var b = m.call(x);
                Assert.True(a.equal(b).all().item<bool>(), $"{model}/{variant}: eval mode is not deterministic");
            }
        }
    }

    static string[] Unused(string model, string variant) => (model, variant) switch
    {
        ("tinierhar", "no-residual") => ["conv_blocks.0.F_shortcut", "conv_blocks.1.F_shortcut"],
        ("tinierhar", "no-attention") => ["attention"],
        _ => [],
    };

    [Theory]
    [InlineData("tinierhar", "no-gru", "classifier.weight")]
    [InlineData("tinierhar", "full", "classifier.0.weight")]
    [InlineData("tinyhar", "full", "prediction.weight")]
    [InlineData("deepconvlstm", "full", "fc.weight")]
    public void State_dict_keys_mirror_the_reference(string model, string variant, string classifierKey)
    {
        using var m = ModelCatalog.Create(new ModelSpec(model, variant), new InputShape(200, 6, 12));
        Assert.Contains(classifierKey, m.state_dict().Keys);
    }

    [Fact]
    public void Reference_keys_of_the_baselines()
    {
        using var tiny = ModelCatalog.Create(new ModelSpec("tinyhar"), new InputShape(200, 6, 12));
        var keys = tiny.state_dict().Keys.ToHashSet();
        foreach (var k in new[] { "layers_conv.3.0.weight", "layers_conv.3.2.running_var", "layers_conv.0.2.num_batches_tracked",
                     "channel_interaction.query.weight", "channel_interaction.gamma", "channel_fusion.fc.bias",
                     "temporal_interaction.lstm.weight_hh_l0", "temporal_fusion.fc_1.weight", "temporal_fusion.fc_2.weight",
                     "temporal_fusion.gamma", "prediction.bias" })
            Assert.Contains(k, keys);
        using var dcl = ModelCatalog.Create(new ModelSpec("deepconvlstm"), new InputShape(200, 6, 12));
        var dk = dcl.state_dict().Keys.ToHashSet();
        foreach (var k in new[] { "conv_blocks.0.conv1.weight", "conv_blocks.1.conv2.bias", "lstm_layers.0.weight_ih_l0", "lstm_layers.0.bias_hh_l0", "fc.weight" })
            Assert.Contains(k, dk);
        Assert.Equal(14, dk.Count); // 2 blocks × 2 convs × (weight, bias), LSTM 4, fc 2
    }

    [Theory]
    [InlineData("mlp", "full", "unknown model 'mlp'")]
    [InlineData("tinierhar", "no-lstm", "unknown variant 'no-lstm' for tinierhar")]
    [InlineData("deepconvlstm", "no-gru", "unknown variant 'no-gru' for deepconvlstm")]
    public void Bad_names_are_rejected_with_the_valid_ones(string model, string variant, string message)
    {
        var e = Assert.Throws<TinierHarException>(() => ModelCatalog.Create(new ModelSpec(model, variant), new InputShape(200, 6, 12)));
        Assert.Contains(message, e.Message);
        Assert.Contains("expected", e.Message);
    }

    [Theory]
    [InlineData("tinyhar", 12)]
    [InlineData("deepconvlstm", 12)]
    public void Too_short_windows_are_rejected(string model, int window)
    {
        var e = Assert.Throws<TinierHarException>(() => ModelCatalog.Create(new ModelSpec(model), new InputShape(window, 6, 12)));
        Assert.Contains("too short", e.Message);
    }

}

[Collection(TorchRngCollection.Name)]
public class SeededModelTests
{
    [Fact]
    public void Same_seed_same_initial_weights()
    {
        torch.manual_seed(7);
        using var a = ModelCatalog.Create(new ModelSpec("tinierhar"), new InputShape(200, 23, 12));
        torch.manual_seed(7);
        using var b = ModelCatalog.Create(new ModelSpec("tinierhar"), new InputShape(200, 23, 12));
        foreach (var (name, p) in a.named_parameters()) Assert.True(p.equal(b.get_parameter(name)!).all().item<bool>(), name);
    }
}
