using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Models;

/// <summary>
/// <c>a + b</c> for the models' residual and fusion sums, without the implicit <see cref="Scalar"/> temporary that
/// TorchSharp 0.107's <c>operator +</c> passes as <c>alpha</c> to <c>THSTensor_add</c>: that temporary is unreachable once
/// its handle is read, so a GC during the native call can let its finaliser free it while libtorch still reads it (the
/// likely cause of a rare "Expected false to be true" from <c>c10::Scalar::toFloat</c>, see DEVELOPERS.md). Here alpha is
/// one <see cref="Scalar"/> held by a static field for the life of the process. Same values as <c>a + b</c>.
/// </summary>
public static class TensorSum
{
    static readonly Scalar One = 1;

    /// <summary><paramref name="a"/> + <paramref name="b"/> (broadcasting as <c>torch.add</c>).</summary>
    public static Tensor Of(Tensor a, Tensor b) => a.add(b, One);
}
