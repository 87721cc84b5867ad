using TinierHar.Models;
using static TinierHar.Export.OnnxAttribute;
using static TinierHar.Export.OnnxLayers;
using static TorchSharp.torch;

namespace TinierHar.Export;

/// <summary>
/// TinierHAR (any F, M, H, window and classes) as an ONNX graph that follows <see cref="TinierHarModel"/>'s plain eval
/// forward: per block depthwise <c>Conv</c> (group = width, pads 2 in time) → 1×1 <c>Conv</c> → <c>BatchNormalization</c>
/// → <c>Relu</c> (→ <c>MaxPool</c>), shortcut 1×1 <c>Conv</c> → <c>BatchNormalization</c> (→ <c>MaxPool</c>) or identity,
/// <c>Add</c>; <c>Transpose</c> + <c>Reshape</c> to <c>(N,T/4,2F·C)</c>; bidirectional <c>GRU</c>; attention scores
/// (<c>MatMul</c>), <c>Softmax</c> over time, <c>Mul</c> + <c>ReduceSum</c>; the classifier. Dropout is the identity. Every
/// ablation too: <c>no-residual</c> (no shortcut), <c>no-attention</c> (<c>ReduceMean</c> over time, or the last step),
/// <c>no-gru</c> (<c>GlobalAveragePool</c> → classifier), <c>no-conv</c> (the GRU on the squeezed window).
/// </summary>
public static class TinierHarOnnx
{
    /// <summary>Exports <paramref name="model"/> (a TinierHAR of <paramref name="spec"/>, its current weights).</summary>
    public static OnnxExport Export(nn.Module model, ModelSpec spec, InputShape shape, string origin)
    {
        spec = spec.Resolve();
        if (model is not TinierHarModel) throw new TinierHarException($"the TinierHAR ONNX export needs a TinierHAR model, got {model.GetName()}");
        shape.Validate();
        var g = new OnnxGraph($"TinierHAR {spec.RunVariant}", model, shape);
        var variant = spec.Variant;
        string x = OnnxGraph.InputName;
        if (variant != ModelVariant.NoConv)
        {
            long f = spec.Filters!.Value;
            int blocks = 2 + spec.Blocks!.Value;
            for (int i = 0; i < blocks; i++)
                x = Block(g, $"conv_blocks.{i}", x, cin: i == 0 ? 1 : i == 1 ? f : 2 * f, cout: i == 0 ? f : 2 * f, pool: i < 2,
                    shortcut: variant != ModelVariant.NoResidual);
        }
        if (variant == ModelVariant.NoGru)
        {
            var pooled = g.Node("pool.0", "GlobalAveragePool", [x]);
            return OnnxExport.Of(ModelCatalog.TinierHar, Finish(g, "classifier", g.Node("pool.1", "Flatten", [pooled], IntOf("axis", 1))), origin);
        }
        var seq = variant == ModelVariant.NoConv
            ? g.Node("squeeze", "Squeeze", [x, g.Int64s(1)])                                                                  // (N,T,C)
            : MergeLastTwo(g, "sequence", g.Node("permute", "Transpose", [x], IntsOf("perm", 0, 2, 1, 3)));                  // (N,T/4,2F·C)
        var outputs = Gru(g, "gru", seq, bidirectional: true);                                                                 // (N,T',2H)
        string context;
        if (variant == ModelVariant.NoAttention)
            context = spec.NoAttentionPooling == "last"
                ? g.Node("last", "Flatten", [g.Node("last_step", "Gather", [outputs, g.Int64s(-1)], IntOf("axis", 1))], IntOf("axis", 1))
                : g.Node("mean", "ReduceMean", [outputs], IntsOf("axes", 1), IntOf("keepdims", 0));
        else
        {
            var weights = g.Node("attention.softmax", "Softmax", [Linear(g, "attention", outputs)], IntOf("axis", 1));
            context = g.Node("attention.sum", "ReduceSum", [g.Node("attention.weighted", "Mul", [weights, outputs]), g.Int64s(1)], IntOf("keepdims", 0));
        }
        return OnnxExport.Of(ModelCatalog.TinierHar, Finish(g, "classifier.0", context), origin);
    }

    /// <summary>The classifier computes the logits.</summary>
    static OnnxGraph Finish(OnnxGraph g, string classifier, string x)
    {
        Linear(g, classifier, x, name: OnnxGraph.OutputName);
        return g;
    }

    /// <summary>One <see cref="TinierConvBlock"/>: main path plus (unless <paramref name="shortcut"/> is off) the shortcut.</summary>
    static string Block(OnnxGraph g, string p, string x, long cin, long cout, bool pool, bool shortcut)
    {
        var y = Conv(g, p + ".conv.0.depthwise", x, padding: (2, 0), groups: cin);
        y = BatchNorm(g, p + ".conv.1", Conv(g, p + ".conv.0.pointwise", y));
        y = g.Node(p + ".conv.2", "Relu", [y]);
        if (pool) y = MaxPoolTime(g, p + ".conv.3", y);
        if (!shortcut) return y;
        var s = x;
        if (cin != cout) s = BatchNorm(g, p + ".F_shortcut.1", Conv(g, p + ".F_shortcut.0", s));
        if (pool) s = MaxPoolTime(g, p + ".F_shortcut.pool", s);
        return g.Node(p + ".sum", "Add", [y, s]);
    }
}
