namespace TinierHar.Export;

/// <summary>
/// The one file of an ONNX export, <c>{Prefix}.onnx</c> (the model's name, e.g. <c>tinierhar.onnx</c>): an ONNX model
/// (<see cref="OnnxModelProto"/>) with input <c>window</c> float32 <c>[N,1,T,C]</c> and output <c>logits</c> <c>[N,K]</c>.
/// </summary>
public sealed record OnnxExport(string Prefix, byte[] Model)
{
    public string FileName => Prefix + ".onnx";
    public IReadOnlyList<(string Name, byte[] Bytes)> Files => [(FileName, Model)];

    /// <summary>Encodes <paramref name="graph"/> as the export of the model named <paramref name="prefix"/>.</summary>
    public static OnnxExport Of(string prefix, OnnxGraph graph, string origin) =>
        new(prefix, OnnxModelProto.Encode(graph, $"{graph.Name} exported to ONNX (opset {OnnxModelProto.Opset}, float32, eval mode) by tinierhar export from {origin}"));
}
