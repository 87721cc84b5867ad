using TinierHar.Models;
using static TorchSharp.torch;

namespace TinierHar.Export;

/// <summary>
/// One TinierHAR conv block ready for inference: depthwise (5,1) conv (weights <c>[cin][5]</c>, bias), then the 1×1
/// pointwise conv with the block's BatchNorm folded in (<c>[cout][cin]</c>, bias), and the shortcut 1×1 conv with its
/// BatchNorm folded in (null when the shortcut is the identity or, in the no-residual ablation, is not run).
/// </summary>
public sealed record FoldedConvBlock(int In, int Out, bool Pool, float[] DepthwiseW, float[] DepthwiseB,
    float[] PointwiseW, float[] PointwiseB, float[]? ShortcutW, float[]? ShortcutB);

/// <summary>
/// The weights that the eval forward of a TinierHAR model (full or an ablation of <see cref="TinierHarModel"/>; any F,
/// M, H) runs, read from its state_dict, with every BatchNorm folded into the conv before it
/// (<see cref="BatchNormFold.IntoConv"/>). Only what runs is kept: no shortcuts for no-residual, no attention for
/// no-attention; without a GRU (no-gru) <see cref="Hidden"/> is 0 and the GRU and attention arrays are empty, without conv
/// blocks (no-conv) <see cref="Blocks"/> is empty. GRU weights keep PyTorch's gate order r, z, n.
/// </summary>
public sealed record TinierHarWeights(InputShape Shape, ModelSpec Spec, int Hidden, IReadOnlyList<FoldedConvBlock> Blocks,
    float[][] GruWih, float[][] GruWhh, float[][] GruBih, float[][] GruBhh,
    float[] AttentionW, float AttentionB, float[] ClassifierW, float[] ClassifierB)
{
    /// <summary>BatchNorm2d's default ε, which TinierHAR uses.</summary>
    public const double BatchNormEps = BatchNormFold.Eps;

    /// <summary>Whether the blocks add their shortcut (all but no-residual).</summary>
    public bool Residual => Spec.Variant != ModelVariant.NoResidual;

    /// <summary>Whether a bidirectional GRU follows the conv blocks (all but no-gru).</summary>
    public bool HasGru => Spec.Variant != ModelVariant.NoGru;

    /// <summary>Whether the GRU outputs are pooled by attention (else by their mean or last step, no-attention).</summary>
    public bool HasAttention => HasGru && Spec.Variant != ModelVariant.NoAttention;

    /// <summary>Time steps of the GRU: <c>⌊⌊T/2⌋/2⌋</c> after the two pooled blocks, T without conv blocks.</summary>
    public int Steps => Blocks.Count == 0 ? Shape.Window : Shape.Window / 2 / 2;

    /// <summary>Features per GRU step: the last block's width times the channels, or the channels without conv blocks.</summary>
    public int GruInput => Blocks.Count == 0 ? Shape.Channels : Blocks[^1].Out * Shape.Channels;

    /// <summary>Features into the classifier: the 2H GRU outputs pooled over time, or the 2F filters averaged (no-gru).</summary>
    public int Pooled => HasGru ? 2 * Hidden : Blocks[^1].Out;

    /// <summary>Reads and folds the weights of <paramref name="model"/> (a TinierHAR of <paramref name="spec"/>).</summary>
    public static TinierHarWeights From(nn.Module model, ModelSpec spec, InputShape shape)
    {
        shape.Validate();
        spec = spec.Resolve();
        if (spec.Model != ModelCatalog.TinierHar)
            throw new TinierHarException($"the TinierHAR C export needs a TinierHAR spec, not {spec.Model} {spec.Variant}");
        if (model is not TinierHarModel)
            throw new TinierHarException($"the TinierHAR C export needs a TinierHAR model, got {model.GetName()}");
        bool conv = spec.Variant != ModelVariant.NoConv, gru = spec.Variant != ModelVariant.NoGru;
        if (conv && shape.Window / 4 < 1) throw new TinierHarException($"window {shape.Window} is too short: the conv blocks halve time twice");
        var sd = new StateDictValues(model, $"TinierHAR {spec.RunVariant}");
        int f = spec.Filters!.Value, h = gru ? spec.RecurrentUnits!.Value : 0;
        var blocks = new List<FoldedConvBlock>();
        for (int i = 0; conv && i < 2 + spec.Blocks!.Value; i++)
        {
            int cin = i == 0 ? 1 : i == 1 ? f : 2 * f, cout = i == 0 ? f : 2 * f;
            var p = $"conv_blocks.{i}.";
            var (pw, pb) = BatchNormFold.IntoConv(sd.Get(p + "conv.0.pointwise.weight", cout * cin), sd.Get(p + "conv.0.pointwise.bias", cout),
                sd, p + "conv.1.", cout);
            float[]? sw = null, sb = null;
            if (cin != cout && spec.Variant != ModelVariant.NoResidual)
                (sw, sb) = BatchNormFold.IntoConv(sd.Get(p + "F_shortcut.0.weight", cout * cin), sd.Get(p + "F_shortcut.0.bias", cout),
                    sd, p + "F_shortcut.1.", cout);
            blocks.Add(new FoldedConvBlock(cin, cout, i < 2, sd.Get(p + "conv.0.depthwise.weight", cin * 5),
                sd.Get(p + "conv.0.depthwise.bias", cin), pw, pb, sw, sb));
        }
        int gruIn = conv ? 2 * f * shape.Channels : shape.Channels;
        string[] dirs = gru ? ["l0", "l0_reverse"] : [];
        bool attention = gru && spec.Variant != ModelVariant.NoAttention;
        int pooled = gru ? 2 * h : 2 * f;
        var classifier = gru ? "classifier.0." : "classifier.";
        return new TinierHarWeights(shape, spec, h, blocks,
            dirs.Select(d => sd.Get("gru.weight_ih_" + d, 3 * h * gruIn)).ToArray(), dirs.Select(d => sd.Get("gru.weight_hh_" + d, 3 * h * h)).ToArray(),
            dirs.Select(d => sd.Get("gru.bias_ih_" + d, 3 * h)).ToArray(), dirs.Select(d => sd.Get("gru.bias_hh_" + d, 3 * h)).ToArray(),
            attention ? sd.Get("attention.weight", 2 * h) : [], attention ? sd.Scalar("attention.bias") : 0f,
            sd.Get(classifier + "weight", shape.Classes * pooled), sd.Get(classifier + "bias", shape.Classes));
    }
}
