using System.Buffers.Binary;
using TinierHar.Models;
using static TorchSharp.torch;

namespace TinierHar.Export;

/// <summary>The attribute types that the exporters use (values of ONNX's <c>AttributeProto.AttributeType</c>).</summary>
public enum OnnxAttributeType { Float = 1, Int = 2, String = 3, Ints = 7 }

/// <summary>One attribute of an ONNX node: an int, a float, a string or a list of ints.</summary>
public sealed record OnnxAttribute(string Name, OnnxAttributeType Type, long Int = 0, float Float = 0, string? Text = null, long[]? Ints = null)
{
    public static OnnxAttribute IntOf(string name, long value) => new(name, OnnxAttributeType.Int, Int: value);
    public static OnnxAttribute FloatOf(string name, float value) => new(name, OnnxAttributeType.Float, Float: value);
    public static OnnxAttribute TextOf(string name, string value) => new(name, OnnxAttributeType.String, Text: value);
    public static OnnxAttribute IntsOf(string name, params long[] values) => new(name, OnnxAttributeType.Ints, Ints: values);
}

/// <summary>One node of the graph (operator of the default ai.onnx domain); an empty output name skips an optional output.</summary>
public sealed record OnnxNode(string Name, string Op, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes);

/// <summary>The element types of the initializers (values of ONNX's <c>TensorProto.DataType</c>).</summary>
public enum OnnxDataType { Float = 1, Int64 = 7 }

/// <summary>An initializer: name, dims, element type, little-endian raw data and, for a derived tensor, where it comes from.</summary>
public sealed record OnnxTensor(string Name, long[] Dims, OnnxDataType Type, byte[] Raw, string? Doc);

/// <summary>
/// An ONNX graph being built from a model's <c>state_dict</c>, in topological order: one float32 input <c>window</c>
/// <c>[N,1,T,C]</c> with a symbolic batch dimension <c>N</c>, one output <c>logits</c> <c>[N,K]</c> (the node that computes
/// it is named <see cref="OutputName"/>). A state_dict tensor becomes an initializer named by its key, unchanged, the first
/// time a node uses it (<see cref="Param"/>); tensors the exporter derives (recurrent weights in ONNX's gate order) carry
/// a doc string naming their keys; int64 constants (shapes, axes) are named by their values. Every value name is unique.
/// <see cref="OnnxModelProto"/> encodes it.
/// </summary>
public sealed class OnnxGraph
{
    public const string InputName = "window", OutputName = "logits", BatchDimension = "N";

    readonly IReadOnlyDictionary<string, Tensor> state;
    readonly List<OnnxNode> nodes = [];
    readonly List<OnnxTensor> initializers = [];
    readonly HashSet<string> names = [InputName];

    /// <summary>A graph named <paramref name="name"/> for <paramref name="model"/>'s weights and windows of <paramref name="shape"/>.</summary>
    public OnnxGraph(string name, nn.Module model, InputShape shape)
    {
        Name = name;
        Shape = shape;
        state = model.state_dict();
    }

    public string Name { get; }
    public InputShape Shape { get; }
    public IReadOnlyList<OnnxNode> Nodes => nodes;
    public IReadOnlyList<OnnxTensor> Initializers => initializers;

    /// <summary>The state_dict tensor <paramref name="key"/> as a float32 initializer of the same name and shape (added once).</summary>
    public string Param(string key)
    {
        if (initializers.Any(i => i.Name == key)) return key;
        var (dims, values) = Read(key);
        return Constant(key, dims, values, null);
    }

    /// <summary>The values and shape of the state_dict tensor <paramref name="key"/> (float32, row-major).</summary>
    public (long[] Dims, float[] Values) Read(string key)
    {
        if (!state.TryGetValue(key, out var t)) throw new TinierHarException($"state_dict has no '{key}': not the model the ONNX exporter expects ({Name})");
        using var c = t.detach().cpu().to_type(ScalarType.Float32).contiguous();
        var values = c.data<float>().ToArray();
        if (!values.All(float.IsFinite)) throw new TinierHarException($"cannot export '{key}': it has non-finite values");
        return (c.shape, values);
    }

    /// <summary>A float32 initializer (a tensor derived from the state_dict, <paramref name="doc"/> saying how).</summary>
    public string Constant(string name, long[] dims, float[] values, string? doc)
    {
        if (values.Length != dims.Aggregate(1L, (a, d) => a * d)) throw new TinierHarException($"{name}: {values.Length} values do not fill [{string.Join(",", dims)}]");
        var raw = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        Claim(name);
        initializers.Add(new OnnxTensor(name, dims, OnnxDataType.Float, raw, doc));
        return name;
    }

    /// <summary>A 1-D int64 constant (a shape or axes), named by its values and added once.</summary>
    public string Int64s(params long[] values)
    {
        var name = $"int64[{string.Join(",", values)}]";
        if (initializers.Any(i => i.Name == name)) return name;
        var raw = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), values[i]);
        Claim(name);
        initializers.Add(new OnnxTensor(name, [values.Length], OnnxDataType.Int64, raw, null));
        return name;
    }

    /// <summary>Adds a node with one output, named like the node; returns that name.</summary>
    public string Node(string name, string op, string[] inputs, params OnnxAttribute[] attributes) =>
        Node(name, op, inputs, [name], attributes)[0];

    /// <summary>Adds a node with the given outputs (an empty name skips an optional output); returns them.</summary>
    public IReadOnlyList<string> Node(string name, string op, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        foreach (var input in inputs)
            if (input.Length > 0 && !names.Contains(input)) throw new TinierHarException($"ONNX node {name} reads '{input}' before it is defined");
        foreach (var output in outputs.Where(o => o.Length > 0)) Claim(output);
        nodes.Add(new OnnxNode(name, op, inputs, outputs, attributes));
        return outputs;
    }

    void Claim(string name)
    {
        if (!names.Add(name)) throw new TinierHarException($"ONNX value name '{name}' is defined twice");
    }
}
