using TinierHar.Models;
using static TinierHar.Export.OnnxAttribute;
using static TinierHar.Export.OnnxLayers;
using static TorchSharp.torch;

namespace TinierHar.Export;

/// <summary>
/// DeepConvLSTM full (any filters, units, window and classes) as an ONNX graph that follows
/// <see cref="DeepConvLstmModel"/>'s eval forward: two blocks of <c>Conv</c> → <c>Relu</c> → <c>Conv</c> (stride 2 in
/// time) → <c>Relu</c>; <c>Transpose</c> + <c>Reshape</c> to <c>(N,L,F·C)</c>; <c>LSTM</c>, whose last hidden state is
/// the model's last time step; the linear classifier. Dropout is the identity. Ablations are not exported.
/// </summary>
public static class DeepConvLstmOnnx
{
    /// <summary>Exports <paramref name="model"/> (a DeepConvLSTM full of <paramref name="spec"/>, its current weights).</summary>
    public static OnnxExport Export(nn.Module model, ModelSpec spec, InputShape shape, string origin)
    {
        spec = spec.Resolve();
        if (model is not DeepConvLstmModel || spec.Variant != ModelVariant.Full)
            throw new TinierHarException($"the DeepConvLSTM ONNX export needs a DeepConvLSTM full model, got {model.GetName()} {spec.Variant}");
        shape.Validate();
        var g = new OnnxGraph($"DeepConvLSTM {spec.RunVariant}", model, shape);
        string x = OnnxGraph.InputName;
        for (int i = 0; i < 2; i++)
        {
            var p = $"conv_blocks.{i}";
            x = g.Node(p + ".conv1.relu", "Relu", [Conv(g, p + ".conv1", x)]);
            x = g.Node(p + ".conv2.relu", "Relu", [Conv(g, p + ".conv2", x, stride: (2, 1))]);
        }
        x = MergeLastTwo(g, "sequence", g.Node("permute", "Transpose", [x], IntsOf("perm", 0, 2, 1, 3)));  // (N,L,F·C)
        var (_, last) = Lstm(g, "lstm_layers.0", x, outputs: false);
        Linear(g, "fc", last, name: OnnxGraph.OutputName);
        return OnnxExport.Of(ModelCatalog.DeepConvLstm, g, origin);
    }
}
