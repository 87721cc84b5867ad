using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TinierHar.Models;

/// <summary>
/// A sequential container whose children are named "0", "1", ... as in PyTorch's <c>nn.Sequential</c> (so
/// state_dict keys match the reference), calling each child in turn and nothing else. Used instead of TorchSharp's
/// <c>Sequential</c>: with it, runs of many models inside dispose scopes produced random NaN (DEVELOPERS.md).
/// </summary>
public sealed class Chain : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor>[] items;

    public Chain(params Module<Tensor, Tensor>[] modules) : base("Sequential")
    {
        items = modules;
        for (int i = 0; i < modules.Length; i++) register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), modules[i]);
    }

    public override Tensor forward(Tensor x)
    {
        foreach (var m in items) x = m.call(x);
        return x;
    }
}
