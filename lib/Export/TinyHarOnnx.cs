using TinierHar.Models;
using static TinierHar.Export.OnnxAttribute;
using static TinierHar.Export.OnnxLayers;
using static TorchSharp.torch;

namespace TinierHar.Export;

/// <summary>
/// TinyHAR full (any F, window and classes) as an ONNX graph that follows <see cref="TinyHarModel"/>'s eval forward:
/// four <c>Conv</c> → <c>Relu</c> → <c>BatchNormalization</c> layers; the cross-channel self-attention of every time
/// step at once on <c>(N,L,C,F)</c>: q, k, v by <c>MatMul</c>, <c>βᵀ = Softmax(k·qᵀ)</c> over the last axis (the
/// model's softmax over the query axis, transposed), <c>γ·(βᵀ·v) + x</c>; <c>Reshape</c> to <c>(N,L,C·F)</c>; the FC
/// fusion and <c>Relu</c>; <c>LSTM</c>; the temporal aggregation (<c>Tanh</c>, scores, <c>Softmax</c> over time,
/// weighted <c>ReduceSum</c>, last hidden state + γ·context); the prediction layer. Dropout is the identity. Ablations
/// are not exported.
/// </summary>
public static class TinyHarOnnx
{
    /// <summary>Exports <paramref name="model"/> (a TinyHAR full of <paramref name="spec"/>, its current weights).</summary>
    public static OnnxExport Export(nn.Module model, ModelSpec spec, InputShape shape, string origin)
    {
        spec = spec.Resolve();
        if (model is not TinyHarModel || spec.Variant != ModelVariant.Full)
            throw new TinierHarException($"the TinyHAR ONNX export needs a TinyHAR full model, got {model.GetName()} {spec.Variant}");
        shape.Validate();
        var g = new OnnxGraph($"TinyHAR {spec.RunVariant}", model, shape);
        string x = OnnxGraph.InputName;
        for (int i = 0; i < 4; i++)
        {
            var p = $"layers_conv.{i}";
            x = Conv(g, p + ".0", x, stride: (i % 2 == 1 ? 2 : 1, 1));
            x = BatchNorm(g, p + ".2", g.Node(p + ".1", "Relu", [x]));
        }
        x = g.Node("permute", "Transpose", [x], IntsOf("perm", 0, 2, 3, 1));                                   // (N,F,L,C) → (N,L,C,F)
        const string a = "channel_interaction";
        var q = Linear(g, a + ".query", x, bias: false);
        var k = Linear(g, a + ".key", x, bias: false);
        var v = Linear(g, a + ".value", x, bias: false);
        var qT = g.Node(a + ".query.T", "Transpose", [q], IntsOf("perm", 0, 1, 3, 2));
        var betaT = g.Node(a + ".softmax", "Softmax", [g.Node(a + ".scores", "MatMul", [k, qT])], IntOf("axis", -1)); // (N,L,C_j,C_i)
        var attended = g.Node(a + ".attended", "MatMul", [betaT, v]);                                          // (N,L,C,F)
        x = g.Node(a, "Add", [g.Node(a + ".scaled", "Mul", [g.Param(a + ".gamma"), attended]), x]);
        x = MergeLastTwo(g, "sequence", x);                                                                     // (N,L,C·F)
        x = g.Node("activation", "Relu", [Linear(g, "channel_fusion.fc", x)]);                                 // (N,L,2F)
        var (outputs, last) = Lstm(g, "temporal_interaction.lstm", x, outputs: true);
        const string t = "temporal_fusion";
        var hidden = g.Node(t + ".weighs_activation", "Tanh", [Linear(g, t + ".fc_1", outputs!)]);
        var weights = g.Node(t + ".sm", "Softmax", [Linear(g, t + ".fc_2", hidden, bias: false)], IntOf("axis", 1)); // (N,L,1)
        var context = g.Node(t + ".context", "ReduceSum", [g.Node(t + ".weighted", "Mul", [weights, outputs!]), g.Int64s(1)], IntOf("keepdims", 0));
        x = g.Node(t, "Add", [last, g.Node(t + ".scaled", "Mul", [g.Param(t + ".gamma"), context])]);
        Linear(g, "prediction", x, name: OnnxGraph.OutputName);
        return OnnxExport.Of(ModelCatalog.TinyHar, g, origin);
    }
}
