using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TinierHar.Kernels;

/// <summary>What a conv block adds to its main path: nothing (no-residual), its input, or a 1×1 conv + BatchNorm.</summary>
internal enum ShortcutKind { None, Identity, Conv }

/// <summary>One BatchNorm2d of a conv block as the kernel uses it: <c>y = A·x + Shift</c> per channel.</summary>
/// <remarks><c>Center</c> and <c>Scale</c> are the batch mean and 1/√(biased var + eps) in training mode, the running
/// mean and 1/√(running var + eps) in eval mode.</remarks>
internal sealed class NormCoefficients(float[] gamma, float[] beta, bool training)
{
    public readonly float[] Gamma = gamma, Beta = beta;
    public readonly bool Training = training;
    public readonly double[] Center = new double[gamma.Length], Scale = new double[gamma.Length];
    public readonly float[] A = new float[gamma.Length], Shift = new float[gamma.Length];

    public void Set(int o, double center, double scale)
    {
        Center[o] = center;
        Scale[o] = scale;
        double a = Gamma[o] * scale;
        A[o] = (float)a;
        Shift[o] = (float)(Beta[o] - center * a);
    }
}

/// <summary>Parameter gradients of one conv block (flattened like the parameters).</summary>
internal sealed record ConvBlockGrads(float[] Depthwise, float[] DepthwiseBias, float[] Pointwise, float[] PointwiseBias,
    float[] Gamma, float[] Beta, float[]? Shortcut, float[]? ShortcutBias, float[]? ShortcutGamma, float[]? ShortcutBeta);

/// <summary>
/// The arithmetic of TinierHAR's conv block (depthwise (5,1) conv → 1×1 conv → BatchNorm → ReLU → MaxPool (2,1) when
/// pooling, plus the shortcut) on float spans in NCHW layout, one sample at a time so that a sample's activations stay
/// in cache, vectorised along time × channels with <see cref="Vector{T}"/>. The forward pass keeps the pre-BatchNorm
/// activations <c>P</c> (and <c>Q</c> of the shortcut conv) in rows padded to <see cref="Lp"/> floats; the backward
/// pass recomputes everything else from them and the input. Single-threaded. The loops are compiled fully optimised
/// at first call (a tier-0 <see cref="Vector{T}"/> loop is many times slower, and each kernel runs only a few times).
/// </summary>
internal sealed class ConvBlockKernel
{
    private static readonly int W = Vector<float>.Count;

    /// <summary>Batch, channels in/out, time steps, sensor channels, T·C, padded row length, time pad (2·C), padded
    /// input row length, pooled time steps and pooled row length.</summary>
    public readonly int B, Cin, Cout, T, C, L, Lp, Pad, Stride, To, Lo;
    public readonly bool Pool;
    public readonly ShortcutKind Shortcut;
    public readonly NormCoefficients Main;
    public readonly NormCoefficients? Side;
    private readonly float[] wd, bd, wp, bp;
    /// <summary>Scratch row, padded by C on both sides, for the (ReLU'd) BatchNorm outputs that max-pool compares.</summary>
    private readonly float[] pooled;
    /// <summary>Per position of a row: all bits set where it is the first of its max-pool pair (j mod 2C &lt; C).</summary>
    private readonly int[] first;
    private readonly float[]? ws, bs;

    public ConvBlockKernel(int b, int cin, int cout, int t, int c, bool pool, ShortcutKind shortcut,
        float[] depthwise, float[] depthwiseBias, float[] pointwise, float[] pointwiseBias, NormCoefficients main,
        float[]? shortcutWeight, float[]? shortcutBias, NormCoefficients? side)
    {
        if (shortcut == ShortcutKind.Identity && cin != cout) throw new ArgumentException("an identity shortcut needs as many input as output channels");
        if (shortcut == ShortcutKind.Conv && (shortcutWeight is null || shortcutBias is null || side is null)) throw new ArgumentException("the shortcut conv needs its weights and BatchNorm");
        (B, Cin, Cout, T, C, Pool, Shortcut) = (b, cin, cout, t, c, pool, shortcut);
        L = t * c;
        Lp = (L + 4 * W - 1) / (4 * W) * (4 * W);
        Pad = 2 * c;
        Stride = Pad + Lp + Pad;
        To = pool ? t / 2 : t;
        Lo = To * c;
        (wd, bd, wp, bp, ws, bs, Main, Side) = (depthwise, depthwiseBias, pointwise, pointwiseBias, shortcutWeight, shortcutBias, main, side);
        pooled = new float[Lp + 2 * c];
        first = new int[Lp];
        for (int j = 0; j < Lp; j++) first[j] = j % (2 * c) < c ? -1 : 0;
    }

    /// <summary>Floats of <c>P</c> (and of <c>Q</c>) for the whole batch.</summary>
    public int PLength => B * Cout * Lp;

    /// <summary>
    /// Forward pass. <paramref name="x"/> is (B, Cin, T, C), <paramref name="output"/> (B, Cout, To, C). In training mode
    /// the BatchNorm statistics of the batch are computed and returned (mean, unbiased variance per channel of the main
    /// and the shortcut BatchNorm) and <paramref name="p"/>, <paramref name="q"/> must hold <see cref="PLength"/> floats;
    /// in eval mode they may hold one sample (Cout·Lp) unless the caller keeps them for a backward pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double[] Mean, double[] Var, double[]? SideMean, double[]? SideVar) Forward(ReadOnlySpan<float> x, Span<float> output, Span<float> p, Span<float> q)
    {
        var xpad = new float[Cin * Stride];
        var rows = new float[2 * Lp + 2 * C + W];
        bool keepAll = p.Length >= PLength;
        int sampleP = Cout * Lp;
        Span<float> PSample(Span<float> buffer, int b) => keepAll ? buffer.Slice(b * sampleP, sampleP) : buffer[..sampleP];
        if (!Main.Training)
        {
            for (int b = 0; b < B; b++)
            {
                LoadPadded(x, b, xpad);
                Pre(xpad, PSample(p, b), Shortcut == ShortcutKind.Conv ? PSample(q, b) : default);
                Post(xpad, PSample(p, b), Shortcut == ShortcutKind.Conv ? PSample(q, b) : default, output.Slice(b * Cout * Lo, Cout * Lo), rows);
            }
            return ([], [], null, null);
        }
        var main = new Moments(Cout);
        var side = Shortcut == ShortcutKind.Conv ? new Moments(Cout) : null;
        for (int b = 0; b < B; b++)
        {
            LoadPadded(x, b, xpad);
            var pb = PSample(p, b);
            var qb = side is null ? default : PSample(q, b);
            Pre(xpad, pb, qb);
            main.Add(pb, Lp, L);
            side?.Add(qb, Lp, L);
        }
        var stats = main.Finish(Main, Eps);
        var sideStats = side?.Finish(Side!, SideEps);
        for (int b = 0; b < B; b++)
        {
            LoadPadded(x, b, xpad);
            Post(xpad, PSample(p, b), side is null ? default : PSample(q, b), output.Slice(b * Cout * Lo, Cout * Lo), rows);
        }
        return (stats.Mean, stats.Var, sideStats?.Mean, sideStats?.Var);
    }

    /// <summary>BatchNorm eps of the main and the shortcut BatchNorm (set before <see cref="Forward"/> in training mode).</summary>
    public double Eps { get; init; } = 1e-5;
    public double SideEps { get; init; } = 1e-5;

    /// <summary>
    /// Backward pass from <paramref name="g"/> (B, Cout, To, C) given the input and the <c>P</c>, <c>Q</c> of the
    /// forward pass; writes the input gradient into <paramref name="gx"/> (B, Cin, T, C) unless it is empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ConvBlockGrads Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> p, ReadOnlySpan<float> q, ReadOnlySpan<float> g, Span<float> gx)
    {
        int sampleP = Cout * Lp;
        var gRows = new float[Cout * Lp];
        var gz = new float[Lp];
        // pass 1: the BatchNorm reductions Σ dy and Σ dy·(x − center) per channel
        var sumMain = new double[Cout];
        var sumMainC = new double[Cout];
        var sumSide = new double[Cout];
        var sumSideC = new double[Cout];
        for (int b = 0; b < B; b++)
        {
            LoadGrad(g, b, gRows);
            var pb = p.Slice(b * sampleP, sampleP);
            for (int o = 0; o < Cout; o++)
            {
                MainGrad(pb.Slice(o * Lp, Lp), gRows.AsSpan(o * Lp, Lp), Main.A[o], Main.Shift[o], gz);
                sumMain[o] += PreciseSum(gz);
                sumMainC[o] += DotCentered(gz, pb.Slice(o * Lp, Lp), (float)Main.Center[o]);
            }
            if (Shortcut != ShortcutKind.Conv) continue;
            var qb = q.Slice(b * sampleP, sampleP);
            for (int o = 0; o < Cout; o++)
            {
                SideGrad(qb.Slice(o * Lp, Lp), gRows.AsSpan(o * Lp, Lp), Side!.A[o], Side.Shift[o], gz);
                sumSide[o] += PreciseSum(gz);
                sumSideC[o] += DotCentered(gz, qb.Slice(o * Lp, Lp), (float)Side.Center[o]);
            }
        }
        var (mainGamma, mainBeta, mainC0, mainC1) = NormBackward(Main, sumMain, sumMainC);
        var (sideGamma, sideBeta, sideC0, sideC1) = Side is null ? default : NormBackward(Side, sumSide, sumSideC);

        // pass 2: BatchNorm input gradients, then the convolutions' parameter and input gradients
        var xpad = new float[Cin * Stride];
        var gp = new float[Cout * Lp];
        var gq = Shortcut == ShortcutKind.Conv ? new float[Cout * Lp] : [];
        var d = new float[Cin * Lp];
        var gd = new float[Cin * Stride];
        var gxRow = new float[Lp];
        double[] dwd = new double[Cin * 5], dbd = new double[Cin], dwp = new double[Cout * Cin], dbp = new double[Cout];
        double[] dws = new double[Cout * Cin], dbs = new double[Cout];
        for (int b = 0; b < B; b++)
        {
            LoadPadded(x, b, xpad);
            LoadGrad(g, b, gRows);
            var pb = p.Slice(b * sampleP, sampleP);
            for (int o = 0; o < Cout; o++)
            {
                var row = gp.AsSpan(o * Lp, Lp);
                MainGrad(pb.Slice(o * Lp, Lp), gRows.AsSpan(o * Lp, Lp), Main.A[o], Main.Shift[o], gz);
                Affine(gz, pb.Slice(o * Lp, Lp), Main.A[o], mainC0[o], mainC1[o], (float)Main.Center[o], row);
                dbp[o] += Sum(row);
            }
            if (Shortcut == ShortcutKind.Conv)
            {
                var qb = q.Slice(b * sampleP, sampleP);
                for (int o = 0; o < Cout; o++)
                {
                    var row = gq.AsSpan(o * Lp, Lp);
                    SideGrad(qb.Slice(o * Lp, Lp), gRows.AsSpan(o * Lp, Lp), Side!.A[o], Side.Shift[o], gz);
                    Affine(gz, qb.Slice(o * Lp, Lp), Side.A[o], sideC0[o], sideC1[o], (float)Side.Center[o], row);
                    dbs[o] += Sum(row);
                    for (int i = 0; i < Cin; i++) dws[o * Cin + i] += Dot(row, xpad.AsSpan(i * Stride + Pad, Lp));
                }
            }
            Depthwise(xpad, d);
            for (int o = 0; o < Cout; o++)
                for (int i = 0; i < Cin; i++) dwp[o * Cin + i] += Dot(gp.AsSpan(o * Lp, Lp), d.AsSpan(i * Lp, Lp));
            PointwiseTransposed(gp, gd);
            for (int i = 0; i < Cin; i++)
            {
                var gdi = gd.AsSpan(i * Stride + Pad, Lp);
                dbd[i] += Sum(gdi);
                for (int k = 0; k < 5; k++) dwd[i * 5 + k] += Dot(gdi, xpad.AsSpan(i * Stride + Pad + (k - 2) * C, Lp));
            }
            if (gx.IsEmpty) continue;
            for (int i = 0; i < Cin; i++)
            {
                InputGradRow(i, gd, gq, gRows, xpad, gxRow);
                gxRow.AsSpan(0, L).CopyTo(gx.Slice((b * Cin + i) * L, L));
            }
        }
        return new ConvBlockGrads(ToFloat(dwd), ToFloat(dbd), ToFloat(dwp), ToFloat(dbp), mainGamma, mainBeta,
            Shortcut == ShortcutKind.Conv ? ToFloat(dws) : null, Shortcut == ShortcutKind.Conv ? ToFloat(dbs) : null, sideGamma, sideBeta);
    }

    /// <summary>Copies sample <paramref name="b"/>'s input rows into the zero-padded rows of <paramref name="xpad"/>.</summary>
    private void LoadPadded(ReadOnlySpan<float> x, int b, float[] xpad)
    {
        for (int i = 0; i < Cin; i++) x.Slice((b * Cin + i) * L, L).CopyTo(xpad.AsSpan(i * Stride + Pad, L));
    }

    /// <summary>
    /// Copies sample <paramref name="b"/>'s output-gradient rows into rows of <see cref="Lp"/> floats, zeros after them.
    /// When pooling, each pooled step's gradient is copied to both time steps of its pair, so that position j of a row
    /// holds the gradient of the pooled output that j competes for.
    /// </summary>
    private void LoadGrad(ReadOnlySpan<float> g, int b, float[] rows)
    {
        for (int o = 0; o < Cout; o++)
        {
            var src = g.Slice((b * Cout + o) * Lo, Lo);
            var dst = rows.AsSpan(o * Lp, Lp);
            if (!Pool) { src.CopyTo(dst); continue; }
            for (int t = 0; t < To; t++)
            {
                var step = src.Slice(t * C, C);
                step.CopyTo(dst.Slice(2 * t * C, C));
                step.CopyTo(dst.Slice(2 * t * C + C, C));
            }
            dst[(2 * To * C)..].Clear();
        }
    }

    /// <summary>Pre-BatchNorm activations of one sample: <c>P = pointwise(depthwise(x))</c>, <c>Q = shortcut(x)</c>; row tails zeroed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Pre(float[] xpad, Span<float> p, Span<float> q)
    {
        Span<Vector<float>> d = stackalloc Vector<float>[Cin];
        ref float xr = ref MemoryMarshal.GetArrayDataReference(xpad);
        ref float pr = ref MemoryMarshal.GetReference(p);
        ref float qr = ref MemoryMarshal.GetReference(q);
        for (int j = 0; j < Lp; j += W)
        {
            for (int i = 0; i < Cin; i++) d[i] = DepthwiseAt(ref xr, i, j);
            for (int o = 0; o < Cout; o++)
            {
                var acc = new Vector<float>(bp[o]);
                for (int i = 0; i < Cin; i++) acc = Vector.FusedMultiplyAdd(new Vector<float>(wp[o * Cin + i]), d[i], acc);
                acc.StoreUnsafe(ref pr, (nuint)(o * Lp + j));
            }
            if (Shortcut != ShortcutKind.Conv) continue;
            for (int o = 0; o < Cout; o++)
            {
                var acc = new Vector<float>(bs![o]);
                for (int i = 0; i < Cin; i++)
                    acc = Vector.FusedMultiplyAdd(new Vector<float>(ws![o * Cin + i]), Vector.LoadUnsafe(ref xr, (nuint)(i * Stride + Pad + j)), acc);
                acc.StoreUnsafe(ref qr, (nuint)(o * Lp + j));
            }
        }
        for (int o = 0; o < Cout; o++)
        {
            p.Slice(o * Lp + L, Lp - L).Clear();
            if (Shortcut == ShortcutKind.Conv) q.Slice(o * Lp + L, Lp - L).Clear();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector<float> DepthwiseAt(ref float xr, int i, int j)
    {
        var v = new Vector<float>(bd[i]);
        int at = i * Stride + Pad + j - 2 * C;
        for (int k = 0; k < 5; k++) v = Vector.FusedMultiplyAdd(new Vector<float>(wd[i * 5 + k]), Vector.LoadUnsafe(ref xr, (nuint)(at + k * C)), v);
        return v;
    }

    /// <summary>Depthwise conv output rows of one sample (Cin × Lp).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Depthwise(float[] xpad, float[] d)
    {
        ref float xr = ref MemoryMarshal.GetArrayDataReference(xpad);
        ref float dr = ref MemoryMarshal.GetArrayDataReference(d);
        for (int i = 0; i < Cin; i++)
            for (int j = 0; j < Lp; j += W) DepthwiseAt(ref xr, i, j).StoreUnsafe(ref dr, (nuint)(i * Lp + j));
    }

    /// <summary>Block output of one sample: ReLU(BN(P)) pooled, plus the (pooled) shortcut.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Post(float[] xpad, ReadOnlySpan<float> p, ReadOnlySpan<float> q, Span<float> output, float[] rows)
    {
        var r = rows.AsSpan(0, Lp);
        var s = rows.AsSpan(Lp + C, Lp);
        for (int o = 0; o < Cout; o++)
        {
            Normalize(p.Slice(o * Lp, Lp), Main.A[o], Main.Shift[o], relu: true, r);
            ReadOnlySpan<float> sc = default;
            if (Shortcut == ShortcutKind.Conv) { Normalize(q.Slice(o * Lp, Lp), Side!.A[o], Side.Shift[o], relu: false, s); sc = s; }
            else if (Shortcut == ShortcutKind.Identity) sc = xpad.AsSpan(o * Stride + Pad, Lp);
            var dst = output.Slice(o * Lo, Lo);
            if (Pool)
            {
                // m[j] = max(r[j], r[j + C]) (+ the shortcut's) over the row; the first C of every 2C are the outputs
                var m = pooled.AsSpan(0, Lp);
                PairMax(r, sc, m);
                for (int t = 0; t < To; t++) m.Slice(2 * t * C, C).CopyTo(dst.Slice(t * C, C));
            }
            else
            {
                if (!sc.IsEmpty) Add(r, sc);
                r[..L].CopyTo(dst);
            }
        }
    }

    /// <summary><paramref name="dst"/> = A·<paramref name="src"/> + shift, then ReLU when asked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Normalize(ReadOnlySpan<float> src, float a, float shift, bool relu, Span<float> dst)
    {
        var va = new Vector<float>(a);
        var vs = new Vector<float>(shift);
        ref float sr = ref MemoryMarshal.GetReference(src);
        ref float dr = ref MemoryMarshal.GetReference(dst);
        for (int j = 0; j < src.Length; j += W)
        {
            var z = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref sr, (nuint)j), va, vs);
            (relu ? Vector.Max(z, Vector<float>.Zero) : z).StoreUnsafe(ref dr, (nuint)j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Add(Span<float> dst, ReadOnlySpan<float> src)
    {
        ref float sr = ref MemoryMarshal.GetReference(src);
        ref float dr = ref MemoryMarshal.GetReference(dst);
        for (int j = 0; j < dst.Length; j += W) (Vector.LoadUnsafe(ref dr, (nuint)j) + Vector.LoadUnsafe(ref sr, (nuint)j)).StoreUnsafe(ref dr, (nuint)j);
    }

    /// <summary>
    /// Gradient at the BatchNorm output of the main path (through max-pool and ReLU) for one channel of one sample, in
    /// a row of Lp floats. Max-pool sends the gradient to the first of two equal values, as PyTorch does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MainGrad(ReadOnlySpan<float> p, ReadOnlySpan<float> g, float a, float shift, Span<float> gz)
    {
        if (!Pool)
        {
            var va = new Vector<float>(a);
            var vs = new Vector<float>(shift);
            ref float pr = ref MemoryMarshal.GetReference(p);
            ref float gr = ref MemoryMarshal.GetReference(g);
            ref float zr = ref MemoryMarshal.GetReference(gz);
            for (int j = 0; j < Lp; j += W)
            {
                var z = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref pr, (nuint)j), va, vs);
                Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), Vector.LoadUnsafe(ref gr, (nuint)j), Vector<float>.Zero).StoreUnsafe(ref zr, (nuint)j);
            }
            return;
        }
        Normalize(p, a, shift, relu: true, pooled.AsSpan(C, Lp));
        PooledGrad(pooled, C, g, relu: true, gz);
    }

    /// <summary>Gradient at the shortcut BatchNorm's output (through max-pool) for one channel of one sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SideGrad(ReadOnlySpan<float> q, ReadOnlySpan<float> g, float a, float shift, Span<float> gs)
    {
        if (!Pool) { g.CopyTo(gs); return; }
        Normalize(q, a, shift, relu: false, pooled.AsSpan(C, Lp));
        PooledGrad(pooled, C, g, relu: false, gs);
    }

    /// <summary>
    /// Max-pool backward over one row: <paramref name="dst"/>[j] = <paramref name="g"/>[j] (the expanded output
    /// gradient, see <see cref="LoadGrad"/>) where j wins its pair of <paramref name="values"/> (the row starts at
    /// <paramref name="at"/>, with C readable floats before and after it), else 0. As in PyTorch the first of two
    /// equal values wins; after a ReLU (<paramref name="relu"/>) the first also needs a positive value to pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PooledGrad(float[] values, int at, ReadOnlySpan<float> g, bool relu, Span<float> dst)
    {
        ref float vr = ref MemoryMarshal.GetArrayDataReference(values);
        ref int fr = ref MemoryMarshal.GetArrayDataReference(first);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float dr = ref MemoryMarshal.GetReference(dst);
        for (int j = 0; j < Lp; j += W)
        {
            var cur = Vector.LoadUnsafe(ref vr, (nuint)(at + j));
            var next = Vector.LoadUnsafe(ref vr, (nuint)(at + j + C));
            var prev = Vector.LoadUnsafe(ref vr, (nuint)(at + j - C));
            var firstWins = Vector.OnesComplement(Vector.GreaterThan(next, cur));
            if (relu) firstWins &= Vector.GreaterThan(cur, Vector<float>.Zero);
            var wins = Vector.ConditionalSelect(Vector.LoadUnsafe(ref fr, (nuint)j), firstWins, Vector.GreaterThan(cur, prev));
            Vector.ConditionalSelect(wins, Vector.LoadUnsafe(ref gr, (nuint)j), Vector<float>.Zero).StoreUnsafe(ref dr, (nuint)j);
        }
    }

    /// <summary><paramref name="m"/>[j] = max(r[j], r[j + C]), plus the same of <paramref name="sc"/> when it is not empty;
    /// both rows need C readable floats after their Lp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PairMax(ReadOnlySpan<float> r, ReadOnlySpan<float> sc, Span<float> m)
    {
        ref float rr = ref MemoryMarshal.GetReference(r);
        ref float sr = ref MemoryMarshal.GetReference(sc);
        ref float mr = ref MemoryMarshal.GetReference(m);
        bool side = !sc.IsEmpty;
        for (int j = 0; j < Lp; j += W)
        {
            var v = Vector.Max(Vector.LoadUnsafe(ref rr, (nuint)j), Vector.LoadUnsafe(ref rr, (nuint)(j + C)));
            if (side) v += Vector.Max(Vector.LoadUnsafe(ref sr, (nuint)j), Vector.LoadUnsafe(ref sr, (nuint)(j + C)));
            v.StoreUnsafe(ref mr, (nuint)j);
        }
    }

    /// <summary>BatchNorm backward coefficients: γ and β gradients, and gx = A·gy + c0 + c1·(x − center) per channel.</summary>
    private (float[] Gamma, float[] Beta, float[] C0, float[] C1) NormBackward(NormCoefficients n, double[] sum, double[] sumCentered)
    {
        int count = Cout;
        float[] dGamma = new float[count], dBeta = new float[count], c0 = new float[count], c1 = new float[count];
        double N = (double)B * L;
        for (int o = 0; o < count; o++)
        {
            double dg = n.Scale[o] * sumCentered[o], db = sum[o];
            dGamma[o] = (float)dg;
            dBeta[o] = (float)db;
            if (!n.Training) continue;
            double a = n.Gamma[o] * n.Scale[o];
            c1[o] = (float)(-a * dg * n.Scale[o] / N);
            c0[o] = (float)(-a * db / N);
        }
        return (dGamma, dBeta, c0, c1);
    }

    /// <summary><paramref name="dst"/> = a·gz + c0 + c1·(p − center) over the row, zero after the first L floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Affine(ReadOnlySpan<float> gz, ReadOnlySpan<float> p, float a, float c0, float c1, float center, Span<float> dst)
    {
        var va = new Vector<float>(a);
        var v0 = new Vector<float>(c0);
        var v1 = new Vector<float>(c1);
        var vc = new Vector<float>(center);
        ref float gr = ref MemoryMarshal.GetReference(gz);
        ref float pr = ref MemoryMarshal.GetReference(p);
        ref float dr = ref MemoryMarshal.GetReference(dst);
        for (int j = 0; j < Lp; j += W)
            Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref gr, (nuint)j), va, Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref pr, (nuint)j) - vc, v1, v0)).StoreUnsafe(ref dr, (nuint)j);
        dst[L..].Clear();
    }

    /// <summary>Gradient at the depthwise output: gd_i = Σ_o wp[o,i]·gp_o, into the padded rows of <paramref name="gd"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PointwiseTransposed(float[] gp, float[] gd)
    {
        Span<Vector<float>> g = stackalloc Vector<float>[Cout];
        ref float gr = ref MemoryMarshal.GetArrayDataReference(gp);
        ref float dr = ref MemoryMarshal.GetArrayDataReference(gd);
        for (int j = 0; j < Lp; j += W)
        {
            for (int o = 0; o < Cout; o++) g[o] = Vector.LoadUnsafe(ref gr, (nuint)(o * Lp + j));
            for (int i = 0; i < Cin; i++)
            {
                var acc = Vector<float>.Zero;
                for (int o = 0; o < Cout; o++) acc = Vector.FusedMultiplyAdd(new Vector<float>(wp[o * Cin + i]), g[o], acc);
                acc.StoreUnsafe(ref dr, (nuint)(i * Stride + Pad + j));
            }
        }
    }

    /// <summary>Input gradient row of channel <paramref name="i"/> of one sample: depthwise transposed, plus the shortcut's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InputGradRow(int i, float[] gd, float[] gq, float[] gRows, float[] xpad, float[] row)
    {
        ref float dr = ref MemoryMarshal.GetArrayDataReference(gd);
        ref float qr = ref MemoryMarshal.GetArrayDataReference(gq);
        ref float gr = ref MemoryMarshal.GetArrayDataReference(gRows);
        ref float rr = ref MemoryMarshal.GetArrayDataReference(row);
        int at = i * Stride + Pad + 2 * C;
        for (int j = 0; j < Lp; j += W)
        {
            var acc = Vector<float>.Zero;
            for (int k = 0; k < 5; k++) acc = Vector.FusedMultiplyAdd(new Vector<float>(wd[i * 5 + k]), Vector.LoadUnsafe(ref dr, (nuint)(at + j - k * C)), acc);
            if (Shortcut == ShortcutKind.Conv)
                for (int o = 0; o < Cout; o++) acc = Vector.FusedMultiplyAdd(new Vector<float>(ws![o * Cin + i]), Vector.LoadUnsafe(ref qr, (nuint)(o * Lp + j)), acc);
            else if (Shortcut == ShortcutKind.Identity && !Pool)
                acc += Vector.LoadUnsafe(ref gr, (nuint)(i * Lp + j));
            acc.StoreUnsafe(ref rr, (nuint)j);
        }
        if (Shortcut != ShortcutKind.Identity || !Pool) return;
        var through = pooled.AsSpan(0, Lp);
        PooledGrad(xpad, i * Stride + Pad, gRows.AsSpan(i * Lp, Lp), relu: false, through);
        Add(row.AsSpan(0, Lp), through);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Sum(ReadOnlySpan<float> a)
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int j = 0; j < a.Length; j += 4 * W)
        {
            s0 += Vector.LoadUnsafe(ref ar, (nuint)j);
            s1 += Vector.LoadUnsafe(ref ar, (nuint)(j + W));
            s2 += Vector.LoadUnsafe(ref ar, (nuint)(j + 2 * W));
            s3 += Vector.LoadUnsafe(ref ar, (nuint)(j + 3 * W));
        }
        return Vector.Sum(s0 + s1 + (s2 + s3));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int j = 0; j < a.Length; j += 4 * W)
        {
            s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref ar, (nuint)j), Vector.LoadUnsafe(ref br, (nuint)j), s0);
            s1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref ar, (nuint)(j + W)), Vector.LoadUnsafe(ref br, (nuint)(j + W)), s1);
            s2 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref ar, (nuint)(j + 2 * W)), Vector.LoadUnsafe(ref br, (nuint)(j + 2 * W)), s2);
            s3 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref ar, (nuint)(j + 3 * W)), Vector.LoadUnsafe(ref br, (nuint)(j + 3 * W)), s3);
        }
        return Vector.Sum(s0 + s1 + (s2 + s3));
    }

    /// <summary>
    /// Σ g·(x − center) over the row (length a multiple of 4W), summed in double per 4W floats: the BatchNorm backward
    /// divides these sums by the batch size and adds them to every element, so their rounding error reaches the
    /// convolution weights' gradients multiplied by Σ x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double DotCentered(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float center)
    {
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float xr = ref MemoryMarshal.GetReference(x);
        var vc = new Vector<float>(center);
        double sum = 0;
        for (int j = 0; j < g.Length; j += 4 * W)
        {
            var s0 = Vector.LoadUnsafe(ref gr, (nuint)j) * (Vector.LoadUnsafe(ref xr, (nuint)j) - vc);
            var s1 = Vector.LoadUnsafe(ref gr, (nuint)(j + W)) * (Vector.LoadUnsafe(ref xr, (nuint)(j + W)) - vc);
            s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref gr, (nuint)(j + 2 * W)), Vector.LoadUnsafe(ref xr, (nuint)(j + 2 * W)) - vc, s0);
            s1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref gr, (nuint)(j + 3 * W)), Vector.LoadUnsafe(ref xr, (nuint)(j + 3 * W)) - vc, s1);
            sum += Vector.Sum(s0 + s1);
        }
        return sum;
    }

    /// <summary>Σ over the row (length a multiple of 4W), summed in double per 4W floats (see <see cref="DotCentered"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double PreciseSum(ReadOnlySpan<float> a)
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        double sum = 0;
        for (int j = 0; j < a.Length; j += 4 * W)
            sum += Vector.Sum(Vector.LoadUnsafe(ref ar, (nuint)j) + Vector.LoadUnsafe(ref ar, (nuint)(j + W)) + (Vector.LoadUnsafe(ref ar, (nuint)(j + 2 * W)) + Vector.LoadUnsafe(ref ar, (nuint)(j + 3 * W))));
        return sum;
    }

    /// <summary>Σ (x − center)² over the span (any length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SquaredDeviations(ReadOnlySpan<float> x, float center)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        var vc = new Vector<float>(center);
        var acc = Vector<float>.Zero;
        int j = 0;
        for (; j + W <= x.Length; j += W)
        {
            var dv = Vector.LoadUnsafe(ref xr, (nuint)j) - vc;
            acc = Vector.FusedMultiplyAdd(dv, dv, acc);
        }
        double s = Vector.Sum(acc);
        for (; j < x.Length; j++) s += (x[j] - center) * (x[j] - center);
        return s;
    }

    private static float[] ToFloat(double[] v) => Array.ConvertAll(v, d => (float)d);

    /// <summary>Per-channel mean and variance over a batch, combined sample by sample (Chan et al.) in double.</summary>
    private sealed class Moments(int channels)
    {
        private readonly double[] mean = new double[channels], m2 = new double[channels];
        private long count;

        /// <summary>Adds one sample: rows of <paramref name="stride"/> floats, the first <paramref name="n"/> of each counted.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(ReadOnlySpan<float> rows, int stride, int n)
        {
            for (int o = 0; o < mean.Length; o++)
            {
                double m = PreciseSum(rows.Slice(o * stride, stride)) / n; // the tail after n is zero
                float mf = (float)m;
                double s = SquaredDeviations(rows.Slice(o * stride, n), mf) - n * (m - mf) * (m - mf);
                double delta = m - mean[o], total = count + n;
                mean[o] += delta * n / total;
                m2[o] += s + delta * delta * count * n / total;
            }
            count += n;
        }

        /// <summary>Sets the batch statistics into <paramref name="norm"/>; returns mean and unbiased variance.</summary>
        public (double[] Mean, double[] Var) Finish(NormCoefficients norm, double eps)
        {
            var unbiased = new double[mean.Length];
            for (int o = 0; o < mean.Length; o++)
            {
                double biased = m2[o] / count;
                unbiased[o] = count > 1 ? m2[o] / (count - 1) : double.NaN;
                norm.Set(o, mean[o], 1 / Math.Sqrt(biased + eps));
            }
            return (mean, unbiased);
        }
    }
}
