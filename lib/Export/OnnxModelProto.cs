namespace TinierHar.Export;

/// <summary>
/// Encodes an <see cref="OnnxGraph"/> as an ONNX <c>ModelProto</c> (onnx/onnx.proto; field numbers below): IR version 8,
/// the default (ai.onnx) operator set at version 17, producer "tinierhar export", the graph with its nodes, initializers
/// (raw little-endian data), input <c>window</c> float32 <c>[N,1,T,C]</c> and output <c>logits</c> float32 <c>[N,K]</c>.
/// </summary>
public static class OnnxModelProto
{
    public const long IrVersion = 8, Opset = 17;
    public const string Producer = "tinierhar export";

    // ModelProto
    const int ModelIrVersion = 1, ModelProducerName = 2, ModelDocString = 6, ModelGraph = 7, ModelOpsetImport = 8;
    // OperatorSetIdProto
    const int OpsetDomain = 1, OpsetVersion = 2;
    // GraphProto
    const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    // NodeProto
    const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    // AttributeProto
    const int AttributeName = 1, AttributeF = 2, AttributeI = 3, AttributeS = 4, AttributeInts = 8, AttributeType = 20;
    // TensorProto
    const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9, TensorDocString = 12;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    const int ValueInfoName = 1, ValueInfoType = 2, TypeTensor = 1, TensorTypeElemType = 1, TensorTypeShape = 2,
        ShapeDim = 1, DimValue = 1, DimParam = 2;

    /// <summary>The model file's bytes; <paramref name="doc"/> becomes the model's doc string.</summary>
    public static byte[] Encode(OnnxGraph graph, string doc)
    {
        if (graph.Nodes.Count == 0 || graph.Nodes[^1].Outputs[0] != OnnxGraph.OutputName)
            throw new TinierHarException($"ONNX graph {graph.Name} does not end with the node that computes '{OnnxGraph.OutputName}'");
        var model = new ProtoWriter();
        model.Varint(ModelIrVersion, IrVersion);
        model.String(ModelProducerName, Producer);
        model.String(ModelDocString, doc);
        model.Message(ModelGraph, g => Graph(g, graph));
        model.Message(ModelOpsetImport, o => { o.String(OpsetDomain, ""); o.Varint(OpsetVersion, Opset); });
        return model.ToArray();
    }

    static void Graph(ProtoWriter w, OnnxGraph graph)
    {
        foreach (var node in graph.Nodes) w.Message(GraphNode, n => Node(n, node));
        w.String(GraphName, graph.Name);
        foreach (var tensor in graph.Initializers) w.Message(GraphInitializer, t => Tensor(t, tensor));
        var s = graph.Shape;
        w.Message(GraphInput, v => ValueInfo(v, OnnxGraph.InputName, [null, 1, s.Window, s.Channels]));
        w.Message(GraphOutput, v => ValueInfo(v, OnnxGraph.OutputName, [null, s.Classes]));
    }

    static void Node(ProtoWriter w, OnnxNode node)
    {
        foreach (var input in node.Inputs) w.String(NodeInput, input);
        foreach (var output in node.Outputs) w.String(NodeOutput, output);
        w.String(NodeName, node.Name);
        w.String(NodeOpType, node.Op);
        foreach (var attribute in node.Attributes) w.Message(NodeAttribute, a => Attribute(a, attribute));
    }

    static void Attribute(ProtoWriter w, OnnxAttribute a)
    {
        w.String(AttributeName, a.Name);
        w.Varint(AttributeType, (long)a.Type);
        switch (a.Type)
        {
            case OnnxAttributeType.Float: w.Float(AttributeF, a.Float); break;
            case OnnxAttributeType.Int: w.Varint(AttributeI, a.Int); break;
            case OnnxAttributeType.String: w.String(AttributeS, a.Text!); break;
            case OnnxAttributeType.Ints: foreach (var i in a.Ints!) w.Varint(AttributeInts, i); break;
        }
    }

    static void Tensor(ProtoWriter w, OnnxTensor t)
    {
        foreach (var d in t.Dims) w.Varint(TensorDims, d);
        w.Varint(TensorDataType, (long)t.Type);
        w.String(TensorName, t.Name);
        w.Bytes(TensorRawData, t.Raw);
        if (t.Doc is not null) w.String(TensorDocString, t.Doc);
    }

    /// <summary>A float32 tensor value; a null dimension is the symbolic batch dimension.</summary>
    static void ValueInfo(ProtoWriter w, string name, long?[] dims)
    {
        w.String(ValueInfoName, name);
        w.Message(ValueInfoType, type => type.Message(TypeTensor, tensor =>
        {
            tensor.Varint(TensorTypeElemType, (long)OnnxDataType.Float);
            tensor.Message(TensorTypeShape, shape =>
            {
                foreach (var d in dims)
                    shape.Message(ShapeDim, dim => { if (d is long v) dim.Varint(DimValue, v); else dim.String(DimParam, OnnxGraph.BatchDimension); });
            });
        }));
    }
}
