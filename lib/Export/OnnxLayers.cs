using static TinierHar.Export.OnnxAttribute;

namespace TinierHar.Export;

/// <summary>
/// The PyTorch modules of the three models as ONNX (opset 17) nodes on an <see cref="OnnxGraph"/>, each named by its
/// state_dict prefix and reading that module's tensors. Weights stay as PyTorch stores them (a <c>Transpose</c> node feeds
/// <c>Linear</c>'s <c>[out,in]</c> to <c>MatMul</c>; ONNX Runtime folds it) except the recurrent ones: ONNX's GRU takes its
/// gates in the order z, r, h where PyTorch stores r, z, n, and runs PyTorch's n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))
/// only with <c>linear_before_reset=1</c>; ONNX's LSTM takes i, o, f, c where PyTorch stores i, f, g, o. Both take one
/// bias <c>[Wb | Rb]</c> per direction and a time-major input <c>[L,N,I]</c> (ONNX Runtime implements only
/// <c>layout=0</c>).
/// </summary>
public static class OnnxLayers
{
    /// <summary>BatchNorm2d's default ε, which all three models use.</summary>
    public const float BatchNormEps = 1e-5f;

    /// <summary><c>Conv2d</c> with bias; the kernel shape comes from the weight.</summary>
    public static string Conv(OnnxGraph g, string prefix, string x, (long H, long W) stride = default, (long H, long W) padding = default, long groups = 1)
    {
        var weight = g.Param(prefix + ".weight");
        var kernel = g.Read(prefix + ".weight").Dims[2..];
        if (stride == default) stride = (1, 1);
        return g.Node(prefix, "Conv", [x, weight, g.Param(prefix + ".bias")],
            IntsOf("kernel_shape", kernel), IntsOf("strides", stride.H, stride.W),
            IntsOf("pads", padding.H, padding.W, padding.H, padding.W), IntOf("group", groups));
    }

    /// <summary><c>BatchNorm2d</c> in eval mode (running statistics).</summary>
    public static string BatchNorm(OnnxGraph g, string prefix, string x) =>
        g.Node(prefix, "BatchNormalization",
            [x, g.Param(prefix + ".weight"), g.Param(prefix + ".bias"), g.Param(prefix + ".running_mean"), g.Param(prefix + ".running_var")],
            FloatOf("epsilon", BatchNormEps));

    /// <summary><c>MaxPool2d((2,1))</c> (floor, as PyTorch's default).</summary>
    public static string MaxPoolTime(OnnxGraph g, string name, string x) =>
        g.Node(name, "MaxPool", [x], IntsOf("kernel_shape", 2, 1), IntsOf("strides", 2, 1));

    /// <summary><c>Linear</c> on the last axis of an input of any rank: <c>x·Wᵀ (+ b)</c>.</summary>
    public static string Linear(OnnxGraph g, string prefix, string x, bool bias = true, string? name = null)
    {
        name ??= prefix;
        var wt = g.Node(prefix + ".weight.T", "Transpose", [g.Param(prefix + ".weight")], IntsOf("perm", 1, 0));
        if (!bias) return g.Node(name, "MatMul", [x, wt]);
        var product = g.Node(prefix + ".matmul", "MatMul", [x, wt]);
        return g.Node(name, "Add", [product, g.Param(prefix + ".bias")]);
    }

    /// <summary><c>(N,A,B,C) → (N,A,B·C)</c>: merges the last two axes (the models' <c>reshape(B, L, -1)</c>).</summary>
    public static string MergeLastTwo(OnnxGraph g, string name, string x) => g.Node(name, "Reshape", [x, g.Int64s(0, 0, -1)]);

    /// <summary><c>(N,L,I) ↔ (L,N,I)</c>: batch-first to time-major and back.</summary>
    public static string SwapBatchTime(OnnxGraph g, string name, string x) => g.Node(name, "Transpose", [x], IntsOf("perm", 1, 0, 2));

    /// <summary>
    /// A one-layer PyTorch <c>GRU</c> (<paramref name="prefix"/>, e.g. "gru") on a batch-first sequence <c>(N,L,I)</c>;
    /// returns its outputs <c>(N,L,D·H)</c> (D directions, forward first), as PyTorch's with <c>batch_first</c>.
    /// </summary>
    public static string Gru(OnnxGraph g, string prefix, string x, bool bidirectional)
    {
        string[] dirs = bidirectional ? ["l0", "l0_reverse"] : ["l0"];
        var (w, r, b) = RecurrentWeights(g, prefix, dirs, [1, 0, 2], "r,z,n → z,r,n");
        long hidden = g.Read($"{prefix}.weight_hh_l0").Dims[1];
        var y = g.Node(prefix, "GRU", [SwapBatchTime(g, prefix + ".input", x), w, r, b],
            IntOf("hidden_size", hidden), TextOf("direction", bidirectional ? "bidirectional" : "forward"), IntOf("linear_before_reset", 1));
        var batchFirst = g.Node(prefix + ".output", "Transpose", [y], IntsOf("perm", 2, 0, 1, 3)); // (L,D,N,H) → (N,L,D,H)
        return MergeLastTwo(g, prefix + ".outputs", batchFirst);
    }

    /// <summary>
    /// A one-layer unidirectional PyTorch <c>LSTM</c> on a batch-first sequence <c>(N,L,I)</c>; returns its outputs
    /// <c>(N,L,H)</c> (null unless <paramref name="outputs"/>) and its last hidden state <c>(N,H)</c>.
    /// </summary>
    public static (string? Outputs, string Last) Lstm(OnnxGraph g, string prefix, string x, bool outputs)
    {
        var (w, r, b) = RecurrentWeights(g, prefix, ["l0"], [0, 3, 1, 2], "i,f,g,o → i,o,f,c");
        long hidden = g.Read($"{prefix}.weight_hh_l0").Dims[1];
        var result = g.Node(prefix, "LSTM", [SwapBatchTime(g, prefix + ".input", x), w, r, b],
            [outputs ? prefix + ".Y" : "", prefix + ".Y_h"], IntOf("hidden_size", hidden));
        var last = g.Node(prefix + ".last", "Squeeze", [result[1], g.Int64s(0)]);                 // (1,N,H) → (N,H)
        if (!outputs) return (null, last);
        var y = g.Node(prefix + ".output", "Squeeze", [result[0], g.Int64s(1)]);                  // (L,1,N,H) → (L,N,H)
        return (SwapBatchTime(g, prefix + ".outputs", y), last);
    }

    /// <summary>
    /// ONNX's <c>W [D,G·H,I]</c>, <c>R [D,G·H,H]</c> and <c>B [D,2·G·H]</c> from PyTorch's <c>weight_ih</c>, <c>weight_hh</c>,
    /// <c>bias_ih</c>, <c>bias_hh</c> of each direction, the G gate blocks of H rows taken in <paramref name="order"/>.
    /// </summary>
    static (string W, string R, string B) RecurrentWeights(OnnxGraph g, string prefix, string[] dirs, int[] order, string gates)
    {
        int gateCount = order.Length;
        float[] Stack(string kind, out long[] dims)
        {
            var parts = dirs.Select(d => g.Read($"{prefix}.{kind}_{d}")).ToList();
            dims = [dirs.Length, .. parts[0].Dims];
            return parts.SelectMany(p => Reorder(p.Values, gateCount, order)).ToArray();
        }
        string Doc(string kind) => $"{string.Join(", ", dirs.Select(d => $"{prefix}.{kind}_{d}"))}: gate blocks {gates}";
        var w = Stack("weight_ih", out var wDims);
        var r = Stack("weight_hh", out var rDims);
        var bias = dirs.SelectMany(d => Reorder(g.Read($"{prefix}.bias_ih_{d}").Values, gateCount, order)
            .Concat(Reorder(g.Read($"{prefix}.bias_hh_{d}").Values, gateCount, order))).ToArray();
        return (g.Constant(prefix + ".weight_ih", wDims, w, Doc("weight_ih")),
            g.Constant(prefix + ".weight_hh", rDims, r, Doc("weight_hh")),
            g.Constant(prefix + ".bias", [dirs.Length, bias.Length / dirs.Length], bias, $"[bias_ih | bias_hh] per direction; {Doc("bias_ih")}; {Doc("bias_hh")}"));
    }

    /// <summary>The <paramref name="gates"/> equal row blocks of <paramref name="values"/> in <paramref name="order"/>.</summary>
    static float[] Reorder(float[] values, int gates, int[] order)
    {
        int block = values.Length / gates;
        return order.SelectMany(gate => values.AsSpan(gate * block, block).ToArray()).ToArray();
    }
}
