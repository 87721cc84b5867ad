using TinierHar.Export;
using TinierHar.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Export;

/// <summary>
/// The C export of seeded, randomly initialised TinyHAR full models (BatchNorm statistics and affine parameters and both
/// learned γ set to non-trivial values, so that the BatchNorm affine, the channel attention and the temporal context are
/// exercised), compiled with gcc and run on 16 random windows: logits within 1e-4 absolute of TorchSharp's plain eval
/// forward. Seeds the global RNG, hence the serial collection.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class TinyHarCExportTests
{
    [Theory]
    [InlineData(400, 6, 12)]
    [InlineData(200, 23, 12)]
    public void Compiled_C_matches_TorchSharp(int window, int channels, int classes)
    {
        torch.manual_seed(17);
        var spec = new ModelSpec(ModelCatalog.TinyHar);
        var shape = new InputShape(window, channels, classes);
        using var model = ModelCatalog.Create(spec, shape);
        CExportTests.PerturbBatchNorm(model);
        using (torch.no_grad())
        {
            var sd = model.state_dict();
            sd["channel_interaction.gamma"].fill_(0.8);
            sd["temporal_fusion.gamma"].fill_(-0.6);
        }
        model.eval();
        var export = TinyHarCExporter.Export(model, spec, shape, "seed 17");
        Assert.Equal(["tinyhar.h", "tinyhar.c"], export.Files.Select(f => f.Name));
        // BatchNorm after the ReLU becomes a scale and a shift per channel: as many values as γ and β.
        Assert.Equal(4 * model.parameters().Sum(p => p.numel()), export.WeightBytes);
        CHarness.AssertMatchesTorch(export, model, shape);
    }

    [Fact]
    public void Ablations_are_refused_naming_them()
    {
        torch.manual_seed(17);
        var spec = new ModelSpec(ModelCatalog.TinyHar, ModelVariant.NoLstm);
        var shape = new InputShape(200, 6, 12);
        using var model = ModelCatalog.Create(spec, shape);
        var e = Assert.Throws<TinierHarException>(() => TinyHarCExporter.Export(model, spec, shape));
        Assert.Contains("tinyhar no-lstm", e.Message);
    }
}
