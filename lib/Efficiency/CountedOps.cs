using static TorchSharp.torch;

namespace TinierHar.Efficiency;

/// <summary>
/// Tensor functions that ptflops (with functional patching) counts when a model calls them outside a module:
/// <c>torch.bmm</c>/<c>torch.matmul</c> (prod(A.shape)·B.shape[−1]) and <c>F.softmax</c> (numel). Models call these
/// instead of the plain TorchSharp functions where the reference calls the patched functional; outside a
/// <see cref="MacCounter"/> run they cost nothing extra. Functions the reference calls that ptflops does not count
/// (<c>torch.softmax</c>, <c>torch.sum</c>, tensor <c>*</c> and <c>+</c>) are called directly.
/// </summary>
public static class CountedOps
{
    [ThreadStatic] internal static MacCounter.Tally? Active;

    public static Tensor Bmm(Tensor a, Tensor b)
    {
        Active?.AddFunctional("bmm", a.numel() * b.shape[^1]);
        return a.bmm(b);
    }

    public static Tensor Matmul(Tensor a, Tensor b)
    {
        Active?.AddFunctional("matmul", a.numel() * b.shape[^1]);
        return a.matmul(b);
    }

    /// <summary>The counted <c>F.softmax</c> (not <c>torch.softmax</c>, which ptflops does not patch).</summary>
    public static Tensor Softmax(Tensor x, long dim)
    {
        Active?.AddFunctional("softmax", x.numel());
        return x.softmax(dim);
    }
}
