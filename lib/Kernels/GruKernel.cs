using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TinierHar.Kernels;

/// <summary>
/// The recurrence of one direction of a single-layer GRU over whole sequences, with PyTorch's equations and gate order
/// (r, z, n) and a zero initial state:
/// <c>r = σ(gi_r + W_hr·h + b_hr)</c>, <c>z = σ(gi_z + W_hz·h + b_hz)</c>, <c>n = tanh(gi_n + r ⊙ (W_hn·h + b_hn))</c>,
/// <c>h' = (1 − z) ⊙ n + z ⊙ h</c>, where <c>gi = W_ih·x + b_ih</c> is computed beforehand for all steps at once.
/// Samples sit in the lanes of a <see cref="Vector{T}"/>: tensors are blocked as <c>[batch block][t][unit][lane]</c>
/// (sample b, step t, unit k at <c>((b / W · T + t) · units + k) · W + b mod W</c>), so one block's whole sequence is read and written contiguously. The batch is padded to a
/// multiple of the lane count with zero input; padded lanes get a zero output gradient, so they add nothing to the
/// gradients. Single-threaded and deterministic.
/// </summary>
internal sealed class GruKernel
{
    public static readonly int W = Vector<float>.Count;

    /// <summary>Batch, batch padded to whole blocks, steps, hidden units.</summary>
    public readonly int B, Bp, T, H;
    /// <summary>True for the reverse direction, which runs from the last step to the first.</summary>
    public readonly bool Reverse;
    private readonly float[] whh, bhh;
    /// <summary>W_hh transposed (H × 3H), read row by row in the backward pass.</summary>
    private readonly float[] whhT;

    public GruKernel(int b, int t, int h, bool reverse, float[] hiddenWeight, float[] hiddenBias)
    {
        if (hiddenWeight.Length != 3 * h * h || hiddenBias.Length != 3 * h) throw new ArgumentException($"a GRU of {h} units needs a (3·{h}, {h}) hidden weight and 3·{h} biases");
        (B, T, H, Reverse, whh, bhh) = (b, t, h, reverse, hiddenWeight, hiddenBias);
        Bp = (b + W - 1) / W * W;
        whhT = new float[3 * h * h];
        for (int k = 0; k < 3 * h; k++)
            for (int j = 0; j < h; j++) whhT[j * 3 * h + k] = hiddenWeight[k * h + j];
    }

    /// <summary>Floats of a blocked tensor with <paramref name="units"/> values per sample and step.</summary>
    public int Length(int units) => Bp * T * units;

    /// <summary>Copies a <c>(B, T, units)</c> row-major tensor into the blocked layout (padded lanes zero).</summary>
    public void ToBlocked(ReadOnlySpan<float> src, int units, Span<float> dst)
    {
        if (src.Length != B * T * units || dst.Length != Length(units)) throw new ArgumentException("tensor sizes do not match the kernel");
        dst.Clear();
        int n = T * units;
        ref float sr = ref MemoryMarshal.GetReference(src);
        ref float dr = ref MemoryMarshal.GetReference(dst);
        for (int b = 0; b < B; b++)
        {
            // sample b's (t, k) values in order; in the blocked layout they are W floats apart
            ref float from = ref Unsafe.Add(ref sr, b * n);
            ref float to = ref Unsafe.Add(ref dr, (b / W) * n * W + b % W);
            for (int m = 0; m < n; m++) Unsafe.Add(ref to, m * W) = Unsafe.Add(ref from, m);
        }
    }

    /// <summary>Copies the blocked layout back into a <c>(B, T, units)</c> row-major tensor.</summary>
    public void FromBlocked(ReadOnlySpan<float> src, int units, Span<float> dst)
    {
        if (dst.Length != B * T * units || src.Length != Length(units)) throw new ArgumentException("tensor sizes do not match the kernel");
        int n = T * units;
        ref float sr = ref MemoryMarshal.GetReference(src);
        ref float dr = ref MemoryMarshal.GetReference(dst);
        for (int b = 0; b < B; b++)
        {
            ref float from = ref Unsafe.Add(ref sr, (b / W) * n * W + b % W);
            ref float to = ref Unsafe.Add(ref dr, b * n);
            for (int m = 0; m < n; m++) Unsafe.Add(ref to, m) = Unsafe.Add(ref from, m * W);
        }
    }

    /// <summary>
    /// Forward pass: <paramref name="gi"/> (blocked, 3H units) → <paramref name="h"/> (blocked, H units). When
    /// <paramref name="saved"/> is not empty (blocked, 4H units) it receives r, z, n and <c>W_hn·h + b_hn</c> of
    /// every step for the backward pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<float> gi, Span<float> h, Span<float> saved)
    {
        int g3 = 3 * H;
        bool keep = !saved.IsEmpty;
        Span<Vector<float>> state = stackalloc Vector<float>[H];
        Span<Vector<float>> gh = stackalloc Vector<float>[g3];
        ref float gir = ref MemoryMarshal.GetReference(gi);
        ref float hr = ref MemoryMarshal.GetReference(h);
        ref float sr = ref MemoryMarshal.GetReference(saved);
        for (int block = 0; block < Bp / W; block++)
        {
            state.Clear();
            for (int s = 0; s < T; s++)
            {
                int t = Reverse ? T - 1 - s : s;
                HiddenProjection(state, gh);
                int step = block * T + t;
                nuint giAt = (nuint)(step * g3 * W), hAt = (nuint)(step * H * W), sAt = (nuint)(step * 4 * H * W);
                for (int j = 0; j < H; j++)
                {
                    var r = Sigmoid(Vector.LoadUnsafe(ref gir, giAt + (nuint)(j * W)) + gh[j]);
                    var z = Sigmoid(Vector.LoadUnsafe(ref gir, giAt + (nuint)((H + j) * W)) + gh[H + j]);
                    var hn = gh[2 * H + j];
                    var n = Tanh(Vector.FusedMultiplyAdd(r, hn, Vector.LoadUnsafe(ref gir, giAt + (nuint)((2 * H + j) * W))));
                    var next = Vector.FusedMultiplyAdd(z, state[j] - n, n);
                    next.StoreUnsafe(ref hr, hAt + (nuint)(j * W));
                    state[j] = next;
                    if (!keep) continue;
                    r.StoreUnsafe(ref sr, sAt + (nuint)(j * W));
                    z.StoreUnsafe(ref sr, sAt + (nuint)((H + j) * W));
                    n.StoreUnsafe(ref sr, sAt + (nuint)((2 * H + j) * W));
                    hn.StoreUnsafe(ref sr, sAt + (nuint)((3 * H + j) * W));
                }
            }
        }
    }

    /// <summary>
    /// Backward pass from <paramref name="gh"/>, the gradient of the outputs (blocked, H units), given the forward's
    /// outputs and saved values: writes the gradients of gi (blocked, 3H units) and of <c>W_hh·h + b_hh</c>
    /// (<paramref name="dgh"/>, blocked, 3H units). The parameter gradients are sums over all samples and steps of
    /// <paramref name="dgh"/> (times the previous state for W_hh): one matrix product, which the caller leaves to libtorch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(ReadOnlySpan<float> h, ReadOnlySpan<float> saved, ReadOnlySpan<float> gh, Span<float> dgi, Span<float> dgh)
    {
        int g3 = 3 * H;
        Span<Vector<float>> dh = stackalloc Vector<float>[H];
        Span<Vector<float>> dgate = stackalloc Vector<float>[g3];
        ref float hr = ref MemoryMarshal.GetReference(h);
        ref float sr = ref MemoryMarshal.GetReference(saved);
        ref float gr = ref MemoryMarshal.GetReference(gh);
        ref float dir = ref MemoryMarshal.GetReference(dgi);
        ref float dhr = ref MemoryMarshal.GetReference(dgh);
        ref float wt = ref MemoryMarshal.GetArrayDataReference(whhT);
        for (int block = 0; block < Bp / W; block++)
        {
            dh.Clear();
            for (int s = T - 1; s >= 0; s--)
            {
                int t = Reverse ? T - 1 - s : s;
                int step = block * T + t;
                nuint prevAt = (nuint)((step + (Reverse ? 1 : -1)) * H * W);
                nuint giAt = (nuint)(step * g3 * W), hAt = (nuint)(step * H * W), sAt = (nuint)(step * 4 * H * W);
                for (int j = 0; j < H; j++)
                {
                    var total = dh[j] + Vector.LoadUnsafe(ref gr, hAt + (nuint)(j * W));
                    var r = Vector.LoadUnsafe(ref sr, sAt + (nuint)(j * W));
                    var z = Vector.LoadUnsafe(ref sr, sAt + (nuint)((H + j) * W));
                    var n = Vector.LoadUnsafe(ref sr, sAt + (nuint)((2 * H + j) * W));
                    var hn = Vector.LoadUnsafe(ref sr, sAt + (nuint)((3 * H + j) * W));
                    var prev = s == 0 ? Vector<float>.Zero : Vector.LoadUnsafe(ref hr, prevAt + (nuint)(j * W));
                    var dn = total * (Vector<float>.One - z) * (Vector<float>.One - n * n);
                    var dz = total * (prev - n) * z * (Vector<float>.One - z);
                    var dReset = dn * hn * r * (Vector<float>.One - r);
                    dReset.StoreUnsafe(ref dir, giAt + (nuint)(j * W));
                    dz.StoreUnsafe(ref dir, giAt + (nuint)((H + j) * W));
                    dn.StoreUnsafe(ref dir, giAt + (nuint)((2 * H + j) * W));
                    dgate[j] = dReset;
                    dgate[H + j] = dz;
                    dgate[2 * H + j] = dn * r;
                    dh[j] = total * z;
                }
                for (int k = 0; k < g3; k++) dgate[k].StoreUnsafe(ref dhr, giAt + (nuint)(k * W));
                // the state's gradient through the hidden projection: dh += W_hhᵀ·dgate
                for (int j = 0; j < H; j++)
                {
                    var acc = dh[j];
                    ref float row = ref Unsafe.Add(ref wt, j * g3);
                    for (int k = 0; k < g3; k++) acc = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref row, k)), dgate[k], acc);
                    dh[j] = acc;
                }
            }
        }
    }

    /// <summary><c>W_hh·h + b_hh</c> for the lanes' current states.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void HiddenProjection(ReadOnlySpan<Vector<float>> state, Span<Vector<float>> gh)
    {
        ref float w = ref MemoryMarshal.GetArrayDataReference(whh);
        for (int k = 0; k < gh.Length; k++)
        {
            var acc = new Vector<float>(bhh[k]);
            ref float row = ref Unsafe.Add(ref w, k * H);
            for (int j = 0; j < H; j++) acc = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref row, j)), state[j], acc);
            gh[k] = acc;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Sigmoid(Vector<float> x) => Vector<float>.One / (Vector<float>.One + Exp(-x));

    /// <summary>
    /// e^x for x clamped to [−87.3, 88.3] (beyond, σ is 0 or 1 in float anyway): 2^n · e^r with n = round(x / ln 2),
    /// r = x − n·ln 2 in two parts and Cephes' degree-6 polynomial for e^r (relative error about 1e-7). Written out
    /// because <see cref="Vector.Exp(Vector{float})"/> is several times slower here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Exp(Vector<float> x)
    {
        x = Vector.Min(Vector.Max(x, new Vector<float>(-87.3f)), new Vector<float>(88.3f));
        var n = Vector.Floor(Vector.FusedMultiplyAdd(x, new Vector<float>(1.44269504088896341f), new Vector<float>(0.5f)));
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-0.693359375f), x);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(2.12194440e-4f), r);
        var p = new Vector<float>(1.9875691500e-4f);
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1.3981999507e-3f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(8.3334519073e-3f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(4.1665795894e-2f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1.6666665459e-1f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(5.0000001201e-1f));
        var y = Vector.FusedMultiplyAdd(p, r * r, r + Vector<float>.One);
        var scale = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23));
        return y * scale;
    }

    /// <summary>tanh(x) = 2σ(2x) − 1 (absolute error about 1e-7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Tanh(Vector<float> x) => new Vector<float>(2f) * Sigmoid(x + x) - Vector<float>.One;
}
