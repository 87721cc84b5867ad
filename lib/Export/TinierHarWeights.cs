using TinierHar.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Export;

/// <summary>
/// One TinierHAR conv block ready for inference: depthwise (5,1) conv (weights <c>[cin][5]</c>, bias), then the 1×1
/// pointwise conv with the block's BatchNorm folded in (<c>[cout][cin]</c>, bias), and the shortcut 1×1 conv with its
/// BatchNorm folded in (null when the shortcut is the identity).
/// </summary>
public sealed record FoldedConvBlock(int In, int Out, bool Pool, float[] DepthwiseW, float[] DepthwiseB,
    float[] PointwiseW, float[] PointwiseB, float[]? ShortcutW, float[]? ShortcutB);

/// <summary>
/// The weights of a TinierHAR "full" model in eval mode, read from its state_dict, with every BatchNorm folded into the
/// conv before it using the running statistics: <c>s = γ/√(var+ε)</c>, <c>W' = W·s</c>, <c>b' = (b − mean)·s + β</c>
/// (computed in double, stored as float32). GRU weights keep PyTorch's gate order r, z, n.
/// </summary>
public sealed record TinierHarWeights(InputShape Shape, int Hidden, IReadOnlyList<FoldedConvBlock> Blocks,
    float[][] GruWih, float[][] GruWhh, float[][] GruBih, float[][] GruBhh,
    float[] AttentionW, float AttentionB, float[] ClassifierW, float[] ClassifierB)
{
    /// <summary>BatchNorm2d's default ε, which TinierHAR uses.</summary>
    public const double BatchNormEps = 1e-5;

    /// <summary>Time steps after the two pooled blocks (<c>⌊⌊T/2⌋/2⌋</c>).</summary>
    public int Steps => Shape.Window / 2 / 2;

    /// <summary>Features per GRU step: the last block's width times the channels.</summary>
    public int GruInput => Blocks[^1].Out * Shape.Channels;

    /// <summary>Reads and folds the weights of <paramref name="model"/> (a TinierHAR of <paramref name="spec"/>).</summary>
    public static TinierHarWeights From(nn.Module model, ModelSpec spec, InputShape shape)
    {
        shape.Validate();
        spec = spec.Resolve();
        if (spec.Model != ModelCatalog.TinierHar || spec.Variant != ModelVariant.Full)
            throw new TinierHarException($"the C export supports TinierHAR full only for now, not {spec.Model} {spec.Variant}");
        if (model is not TinierHarModel)
            throw new TinierHarException($"the C export needs a TinierHAR model, got {model.GetName()}");
        if (shape.Window / 4 < 1) throw new TinierHarException($"window {shape.Window} is too short: the conv blocks halve time twice");
        var sd = model.state_dict();
        float[] Get(string key)
        {
            if (!sd.TryGetValue(key, out var t)) throw new TinierHarException($"state_dict has no '{key}': not a TinierHAR full model");
            using var c = t.detach().cpu().to_type(ScalarType.Float32).contiguous();
            return c.data<float>().ToArray();
        }
        int f = spec.Filters!.Value, h = spec.RecurrentUnits!.Value;
        var blocks = new List<FoldedConvBlock>();
        int nBlocks = 2 + spec.Blocks!.Value;
        for (int i = 0; i < nBlocks; i++)
        {
            int cin = i == 0 ? 1 : i == 1 ? f : 2 * f, cout = i == 0 ? f : 2 * f;
            var p = $"conv_blocks.{i}.";
            var (pw, pb) = Fold(Get(p + "conv.0.pointwise.weight"), Get(p + "conv.0.pointwise.bias"), p + "conv.1.", Get, cout, cin);
            float[]? sw = null, sb = null;
            if (cin != cout) (sw, sb) = Fold(Get(p + "F_shortcut.0.weight"), Get(p + "F_shortcut.0.bias"), p + "F_shortcut.1.", Get, cout, cin);
            var dw = Get(p + "conv.0.depthwise.weight");
            if (dw.Length != cin * 5) throw new TinierHarException($"{p}conv.0.depthwise.weight has {dw.Length} values, expected {cin * 5}");
            blocks.Add(new FoldedConvBlock(cin, cout, i < 2, dw, Get(p + "conv.0.depthwise.bias"), pw, pb, sw, sb));
        }
        string[] dirs = ["l0", "l0_reverse"];
        var w = new TinierHarWeights(shape, h, blocks,
            dirs.Select(d => Get("gru.weight_ih_" + d)).ToArray(), dirs.Select(d => Get("gru.weight_hh_" + d)).ToArray(),
            dirs.Select(d => Get("gru.bias_ih_" + d)).ToArray(), dirs.Select(d => Get("gru.bias_hh_" + d)).ToArray(),
            Get("attention.weight"), Get("attention.bias")[0], Get("classifier.0.weight"), Get("classifier.0.bias"));
        if (w.GruWih[0].Length != 3 * h * w.GruInput || w.GruWhh[0].Length != 3 * h * h || w.AttentionW.Length != 2 * h
            || w.ClassifierW.Length != shape.Classes * 2 * h || w.ClassifierB.Length != shape.Classes)
            throw new TinierHarException($"state_dict shapes do not fit TinierHAR F={f} H={h} for T={shape.Window}, C={shape.Channels}, K={shape.Classes}");
        return w;
    }

    static (float[] W, float[] B) Fold(float[] w, float[] b, string bn, Func<string, float[]> get, int cout, int cin)
    {
        if (w.Length != cout * cin) throw new TinierHarException($"a 1x1 conv before {bn} has {w.Length} weights, expected {cout * cin}");
        var (gamma, beta, mean, variance) = (get(bn + "weight"), get(bn + "bias"), get(bn + "running_mean"), get(bn + "running_var"));
        var fw = new float[w.Length];
        var fb = new float[cout];
        for (int o = 0; o < cout; o++)
        {
            double s = gamma[o] / Math.Sqrt(variance[o] + BatchNormEps);
            for (int i = 0; i < cin; i++) fw[o * cin + i] = (float)(w[o * cin + i] * s);
            fb[o] = (float)((b[o] - mean[o]) * s + beta[o]);
        }
        return (fw, fb);
    }
}
