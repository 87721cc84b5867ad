using TinierHar.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TinierHar.Models;

/// <summary>
/// Depthwise-separable convolution along time: <c>Conv2d(cin, cin, (5,1), padding (2,0), groups=cin)</c> then a
/// 1×1 <c>Conv2d(cin, cout)</c>. Mirrors <c>DepthwiseSeparableConv</c> in the reference's models/TinierHAR.py.
/// </summary>
public sealed class DepthwiseSeparableConv : Module<Tensor, Tensor>
{
    private readonly Conv2d depthwise;
    private readonly Conv2d pointwise;

    public DepthwiseSeparableConv(long cin, long cout) : base(nameof(DepthwiseSeparableConv))
    {
        depthwise = Conv2d(cin, cin, (5, 1), padding: (2, 0), groups: cin);
        pointwise = Conv2d(cin, cout, (1, 1));
        RegisterComponents();
    }

    internal Conv2d Depthwise => depthwise;
    internal Conv2d Pointwise => pointwise;

    public override Tensor forward(Tensor x) => pointwise.call(depthwise.call(x));
}

/// <summary>
/// TinierHAR's residual block (reference <c>ConvBlock</c>): main path DSConv → BatchNorm → ReLU (→ MaxPool (2,1));
/// shortcut 1×1 conv + BatchNorm when the width changes (→ MaxPool when pooling), else identity; output = sum.
/// With <c>shortcut: false</c> (the no-residual ablation) the shortcut modules exist but are not run.
/// A float32 CPU input runs on the fused kernel (<see cref="FusedConvBlock"/>) unless <see cref="KernelSwitch"/> says plain.
/// </summary>
public sealed class TinierConvBlock : Module<Tensor, Tensor>
{
    private readonly Sequential conv;
    private readonly Module<Tensor, Tensor> F_shortcut;
    private readonly bool useShortcut;
    private readonly ConvBlockParts parts;

    public TinierConvBlock(long cin, long cout, bool pool, bool shortcut) : base(nameof(TinierConvBlock))
    {
        useShortcut = shortcut;
        var dsConv = new DepthwiseSeparableConv(cin, cout);
        var norm = BatchNorm2d(cout);
        var main = new List<Module<Tensor, Tensor>> { dsConv, norm, ReLU() };
        if (pool) main.Add(MaxPool2d((2, 1)));
        conv = Sequential(main);
        var sc = new List<Module<Tensor, Tensor>>();
        Conv2d? scConv = null;
        BatchNorm2d? scNorm = null;
        if (cin != cout) { sc.Add(scConv = Conv2d(cin, cout, (1, 1))); sc.Add(scNorm = BatchNorm2d(cout)); }
        if (pool) sc.Add(MaxPool2d((2, 1)));
        F_shortcut = sc.Count == 0 ? Identity() : Sequential(sc);
        parts = new ConvBlockParts(dsConv.Depthwise, dsConv.Pointwise, norm, scConv, scNorm, pool, shortcut);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (KernelSwitch.UseFast(x)) return FusedConvBlock.Forward(x, parts);
        return useShortcut ? TensorSum.Of(conv.call(x), F_shortcut.call(x)) : conv.call(x);
    }
}

/// <summary>
/// TinierHAR (Bian et al. 2025), reference models/TinierHAR.py (<c>DeepConvGRU</c>) at commit d5f6525: two pooled
/// residual depthwise-separable blocks (1→F→2F, time /4), M more 2F→2F blocks, dropout, a bidirectional GRU(H) over
/// time on features (filter·C + sensor), attention pooling over time (<c>Linear(2H,1)</c>, softmax over time) and a
/// linear classifier. Submodule names equal the reference's state_dict keys (without its <c>model.</c> prefix).
/// Ablations (docs/reference.md section 7): <c>no-residual</c> (shortcuts built, not run), <c>no-attention</c> (attention built, not
/// run; pooling by mean or last step, the reference does not say which), <c>no-gru</c> (conv blocks → global
/// average pool → dropout → <c>Linear(2F,K)</c>), <c>no-conv</c> (BiGRU on the raw <c>(B,T,C)</c>; the reference's
/// dropout is not applied there, as in its code). Like the reference, the constructor runs one dummy forward of
/// the conv blocks on <c>randn(1,1,T,C)</c> in training mode: it consumes the global RNG and updates the
/// BatchNorm running statistics once, exactly as PyTorch does. On the fast path (<see cref="KernelSwitch"/>) the GRU
/// runs on <see cref="FusedGru"/> with the module's own parameters.
/// </summary>
public sealed class TinierHarModel : Module<Tensor, Tensor>
{
    private readonly Sequential? conv_blocks;
    private readonly GRU? gru;
    private readonly Linear? attention;
    private readonly Module<Tensor, Tensor> classifier;
    private readonly Sequential? pool;
    private readonly Dropout dropout;
    private readonly string variant;
    private readonly bool poolLast;

    public TinierHarModel(ModelSpec spec, InputShape shape) : base("TinierHAR")
    {
        Native.TorchSetup.EnsureInitialized();
        spec = spec.Resolve();
        variant = spec.Variant;
        poolLast = spec.NoAttentionPooling == "last";
        long f = spec.Filters!.Value, h = spec.RecurrentUnits!.Value;
        dropout = Dropout(spec.Dropout!.Value);
        if (variant != ModelVariant.NoConv)
        {
            bool shortcut = variant != ModelVariant.NoResidual;
            var blocks = new List<Module<Tensor, Tensor>>
            {
                new TinierConvBlock(1, f, pool: true, shortcut),
                new TinierConvBlock(f, 2 * f, pool: true, shortcut),
            };
            for (int i = 0; i < spec.Blocks!.Value; i++) blocks.Add(new TinierConvBlock(2 * f, 2 * f, pool: false, shortcut));
            conv_blocks = Sequential(blocks);
        }
        if (variant == ModelVariant.NoGru)
        {
            pool = Sequential(AdaptiveAvgPool2d((1, 1)), Flatten());
            classifier = Linear(2 * f, shape.Classes);
        }
        else
        {
            long gruInput;
            if (conv_blocks is null) gruInput = shape.Channels;
            else
            {
                // The reference sizes the GRU with a dummy forward on torch.randn (this consumes the RNG). It runs
                // on the plain path, so that a model's initial state does not depend on the kernels.
                using var _ = torch.no_grad();
                using var plain = KernelSwitch.Plain();
                using var dummy = torch.randn(1, 1, shape.Window, shape.Channels);
                using var out_ = conv_blocks.call(dummy);
                gruInput = out_.shape[1] * out_.shape[3];
            }
            gru = GRU(gruInput, h, numLayers: 1, batchFirst: true, bidirectional: true);
            attention = Linear(2 * h, 1);
            classifier = Sequential(Linear(2 * h, shape.Classes));
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (variant == ModelVariant.NoGru)
        {
            var pooled = pool!.call(conv_blocks!.call(x));
            return classifier.call(dropout.call(pooled));
        }
        Tensor seq;
        if (conv_blocks is null) seq = x.squeeze(1);                        // (B, T, C)
        else
        {
            var y = conv_blocks.call(x);                                     // (B, 2F, T/4, C)
            seq = y.permute(0, 2, 1, 3).reshape(y.shape[0], y.shape[2], -1); // (B, T/4, 2F·C), filter-major
            seq = dropout.call(seq);
        }
        var outputs = KernelSwitch.UseFast(seq) ? FusedGru.Forward(gru!, seq) : gru!.call(seq, null).Item1; // (B, T', 2H)
        Tensor pooledSeq;
        if (variant == ModelVariant.NoAttention)
            pooledSeq = poolLast ? outputs.select(1, -1) : outputs.mean([1]);
        else
        {
            var weights = torch.softmax(attention!.call(outputs), 1);       // softmax over time; not counted as MACs
            pooledSeq = (weights * outputs).sum(1);
        }
        return classifier.call(pooledSeq);
    }
}
