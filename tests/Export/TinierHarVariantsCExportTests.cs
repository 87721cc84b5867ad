using TinierHar.Export;
using TinierHar.Models;
using TorchSharp;
using TorchSharp.Modules;

namespace TinierHar.Tests.Export;

/// <summary>
/// The C export of TinierHAR's ablations (no-residual, no-attention with mean or last pooling, no-gru, no-conv) and of
/// non-default F, M, H: seeded random models with non-trivial BatchNorm statistics, compiled with gcc and run on 16
/// random windows, logits within 1e-4 absolute of TorchSharp's plain eval forward; the weights exported are exactly the
/// parameters the variant's forward runs, BatchNorm folded away. Seeds the global RNG, hence the serial collection.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class TinierHarVariantsCExportTests
{
    [Theory]
    [InlineData(ModelVariant.NoResidual, null, null, null, "mean", 400, 6, 12)]
    [InlineData(ModelVariant.NoResidual, null, null, null, "mean", 200, 23, 12)]
    [InlineData(ModelVariant.NoAttention, null, null, null, "mean", 400, 6, 12)]
    [InlineData(ModelVariant.NoAttention, null, null, null, "mean", 200, 23, 12)]
    [InlineData(ModelVariant.NoAttention, null, null, null, "last", 400, 6, 12)]
    [InlineData(ModelVariant.NoAttention, null, null, null, "last", 200, 23, 12)]
    [InlineData(ModelVariant.NoGru, null, null, null, "mean", 400, 6, 12)]
    [InlineData(ModelVariant.NoGru, null, null, null, "mean", 200, 23, 12)]
    [InlineData(ModelVariant.NoConv, null, null, null, "mean", 400, 6, 12)]
    [InlineData(ModelVariant.NoConv, null, null, null, "mean", 200, 23, 12)]
    [InlineData(ModelVariant.Full, 2, 2, 8, "mean", 400, 6, 12)]
    [InlineData(ModelVariant.Full, 8, 8, 32, "mean", 200, 23, 12)]
    [InlineData(ModelVariant.Full, 3, 0, 5, "mean", 199, 7, 5)]
    [InlineData(ModelVariant.NoResidual, 8, 1, 8, "mean", 200, 23, 12)]
    [InlineData(ModelVariant.NoGru, 2, 0, null, "mean", 400, 6, 12)]
    public void Compiled_C_matches_TorchSharp(string variant, int? filters, int? blocks, int? units, string pooling,
        int window, int channels, int classes)
    {
        torch.manual_seed(29);
        var spec = new ModelSpec(ModelCatalog.TinierHar, variant, filters, blocks, units, NoAttentionPooling: pooling);
        var shape = new InputShape(window, channels, classes);
        using var model = ModelCatalog.Create(spec, shape);
        CExportTests.PerturbBatchNorm(model);
        if (variant == ModelVariant.NoResidual) AmplifyBatchNorm(model);
        model.eval();
        var export = TinierHarCExporter.Export(model, spec, shape, $"seed 29 {variant}");
        Assert.Equal(["tinierhar.h", "tinierhar.c"], export.Files.Select(f => f.Name));
        Assert.Equal(4 * ExportedParameters(model, variant), export.WeightBytes);
        CHarness.AssertMatchesTorch(export, model, shape);
    }

    /// <summary>
    /// Divides every BatchNorm's running variance by 25 (scale ×5). Without shortcuts, at initialisation each block
    /// shrinks the variation between windows about 18-fold in variance, so after the blocks the logits hardly vary.
    /// </summary>
    static void AmplifyBatchNorm(torch.nn.Module model)
    {
        using var _ = torch.no_grad();
        foreach (var e in model.state_dict().Where(e => e.Key.EndsWith(".running_var", StringComparison.Ordinal)))
            e.Value.div_(25);
    }

    /// <summary>
    /// The parameters the variant's eval forward runs, after folding: all of them but the BatchNorms' γ and β (folded
    /// into the conv before them), the shortcuts of no-residual and the attention of no-attention (built, not run).
    /// </summary>
    static long ExportedParameters(torch.nn.Module model, string variant)
    {
        var batchNorm = model.named_modules().Where(m => m.module is BatchNorm2d)
            .SelectMany(m => new[] { m.name + ".weight", m.name + ".bias" }).ToHashSet();
        return model.named_parameters()
            .Where(p => !batchNorm.Contains(p.name))
            .Where(p => !(variant == ModelVariant.NoResidual && p.name.Contains(".F_shortcut.", StringComparison.Ordinal)))
            .Where(p => !(variant == ModelVariant.NoAttention && p.name.StartsWith("attention.", StringComparison.Ordinal)))
            .Sum(p => p.parameter.numel());
    }
}
