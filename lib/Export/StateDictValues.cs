using static TorchSharp.torch;

namespace TinierHar.Export;

/// <summary>
/// The tensors of a module's state_dict as float32 arrays for an exporter, each checked where it is read: a missing
/// key or a size other than the one the exporter lays out is an error naming the key and <see cref="What"/>.
/// </summary>
public sealed class StateDictValues(nn.Module model, string what)
{
    readonly Dictionary<string, Tensor> tensors = model.state_dict();

    /// <summary>What the state_dict should be, for the messages (e.g. "TinyHAR full").</summary>
    public string What { get; } = what;

    /// <summary>The values of <paramref name="key"/> (row-major), which must hold exactly <paramref name="count"/> of them.</summary>
    public float[] Get(string key, long count)
    {
        if (!tensors.TryGetValue(key, out var t)) throw new TinierHarException($"state_dict has no '{key}': not a {What} model");
        using var c = t.detach().cpu().to_type(ScalarType.Float32).contiguous();
        var values = c.data<float>().ToArray();
        if (values.Length != count) throw new TinierHarException($"state_dict '{key}' has {values.Length} values, {What} needs {count}");
        return values;
    }

    /// <summary>The one value of a scalar parameter such as a learned γ.</summary>
    public float Scalar(string key) => Get(key, 1)[0];
}
