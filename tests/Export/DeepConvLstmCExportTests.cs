using TinierHar.Export;
using TinierHar.Models;
using TorchSharp;

namespace TinierHar.Tests.Export;

/// <summary>
/// The C export of seeded, randomly initialised DeepConvLSTM full models (the reference's 64 filters and 128 LSTM units),
/// compiled with gcc and run on 16 random windows: logits within 1e-4 absolute of TorchSharp's plain eval forward.
/// Seeds the global RNG, hence the serial collection.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class DeepConvLstmCExportTests
{
    [Theory]
    [InlineData(400, 6, 12)]
    [InlineData(200, 23, 12)]
    public void Compiled_C_matches_TorchSharp(int window, int channels, int classes)
    {
        torch.manual_seed(23);
        var spec = new ModelSpec(ModelCatalog.DeepConvLstm);
        var shape = new InputShape(window, channels, classes);
        using var model = ModelCatalog.Create(spec, shape);
        model.eval();
        var export = DeepConvLstmCExporter.Export(model, spec, shape, "seed 23");
        Assert.Equal(["deepconvlstm.h", "deepconvlstm.c"], export.Files.Select(f => f.Name));
        Assert.Equal(4 * model.parameters().Sum(p => p.numel()), export.WeightBytes); // no BatchNorm: every parameter, once
        CHarness.AssertMatchesTorch(export, model, shape);
    }

    [Fact]
    public void Ablations_are_refused_naming_them()
    {
        torch.manual_seed(23);
        var spec = new ModelSpec(ModelCatalog.DeepConvLstm, ModelVariant.NoConv);
        var shape = new InputShape(200, 6, 12);
        using var model = ModelCatalog.Create(spec, shape);
        var e = Assert.Throws<TinierHarException>(() => DeepConvLstmCExporter.Export(model, spec, shape));
        Assert.Contains("deepconvlstm no-conv", e.Message);
    }
}
