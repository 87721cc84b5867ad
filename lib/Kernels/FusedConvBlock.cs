using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinierHar.Kernels;

/// <summary>
/// The modules of one TinierHAR conv block that its fast path reads (the block still owns them): the depthwise and
/// pointwise convs and BatchNorm of the main path, the shortcut's 1×1 conv and BatchNorm (null when the width does not
/// change), whether both paths max-pool, and whether the shortcut runs (false for the no-residual ablation).
/// </summary>
public sealed record ConvBlockParts(Conv2d Depthwise, Conv2d Pointwise, BatchNorm2d Norm, Conv2d? ShortcutConv,
    BatchNorm2d? ShortcutNorm, bool Pool, bool UseShortcut);

/// <summary>
/// TinierHAR's conv block on the fast path: <see cref="ConvBlockKernel"/> on the block's parameters, with the same
/// BatchNorm running-statistics updates as PyTorch (momentum, unbiased variance, <c>num_batches_tracked</c>). Under
/// autograd it runs as one custom autograd function; without grad it runs the forward kernel alone.
/// </summary>
public static class FusedConvBlock
{
    /// <summary>The block's output for a float32 CPU input <c>(B, Cin, T, C)</c>.</summary>
    public static Tensor Forward(Tensor x, ConvBlockParts parts)
    {
        var tensors = Tensors(parts);
        bool needsGrad = torch.is_grad_enabled() && (x.requires_grad || tensors.Any(t => t is not null && t.requires_grad));
        if (needsGrad)
        {
            // The autograd context keeps the managed wrappers of the saved tensors until its node is collected, which
            // takes extra GC cycles; once saved natively they are not needed, so they are disposed here.
            var saved = new List<Tensor>();
            var y = ConvBlockFunction.apply([x, .. tensors, parts, saved]);
            saved.ForEach(t => t?.Dispose());
            return y;
        }
        using var input = x.contiguous();
        return Run(input, parts, keep: false).Output;
    }

    /// <summary>The parameters the kernel reads, in the order of the autograd function's inputs after x.</summary>
    private static Tensor?[] Tensors(ConvBlockParts p)
    {
        bool conv = p.UseShortcut && p.ShortcutConv is not null;
        return [p.Depthwise.weight, p.Depthwise.bias, p.Pointwise.weight, p.Pointwise.bias, p.Norm.weight, p.Norm.bias,
            conv ? p.ShortcutConv!.weight : null, conv ? p.ShortcutConv!.bias : null,
            conv ? p.ShortcutNorm!.weight : null, conv ? p.ShortcutNorm!.bias : null];
    }

    /// <summary>One forward run: the output, and the kernel and pre-BatchNorm activations a backward pass needs.</summary>
    internal sealed record ForwardRun(Tensor Output, ConvBlockKernel Kernel, Tensor? P, Tensor? Q);

    /// <summary>Runs the forward kernel on a contiguous input; keeps P and Q as tensors when <paramref name="keep"/>.</summary>
    internal static ForwardRun Run(Tensor x, ConvBlockParts parts, bool keep)
    {
        int b = (int)x.shape[0], cin = (int)x.shape[1], t = (int)x.shape[2], c = (int)x.shape[3];
        int cout = (int)parts.Pointwise.weight!.shape[0];
        var kind = !parts.UseShortcut ? ShortcutKind.None : parts.ShortcutConv is null ? ShortcutKind.Identity : ShortcutKind.Conv;
        var main = Coefficients(parts.Norm);
        var side = kind == ShortcutKind.Conv ? Coefficients(parts.ShortcutNorm!) : null;
        var kernel = new ConvBlockKernel(b, cin, cout, t, c, parts.Pool, kind,
            Floats(parts.Depthwise.weight!), Floats(parts.Depthwise.bias!), Floats(parts.Pointwise.weight!), Floats(parts.Pointwise.bias!), main,
            kind == ShortcutKind.Conv ? Floats(parts.ShortcutConv!.weight!) : null, kind == ShortcutKind.Conv ? Floats(parts.ShortcutConv!.bias!) : null, side)
        {
            Eps = parts.Norm.eps,
            SideEps = parts.ShortcutNorm?.eps ?? 0,
        };
        var output = torch.empty([b, cout, kernel.To, c]);
        bool all = keep || main.Training;
        int length = all ? kernel.PLength : cout * kernel.Lp;
        Tensor? p = keep ? torch.empty(length) : null, q = keep && kind == ShortcutKind.Conv ? torch.empty(length) : null;
        float[]? pArray = keep ? null : new float[length], qArray = keep || kind != ShortcutKind.Conv ? null : new float[length];
        var stats = kernel.Forward(Span(x), Span(output), p is null ? pArray : Span(p), q is null ? qArray : Span(q));
        if (main.Training)
        {
            UpdateRunningStats(parts.Norm, stats.Mean, stats.Var);
            if (side is not null) UpdateRunningStats(parts.ShortcutNorm!, stats.SideMean!, stats.SideVar!);
        }
        return new ForwardRun(output, kernel, p, q);
    }

    /// <summary>Training mode: γ and β only (the batch statistics follow); eval mode: also the running statistics.</summary>
    private static NormCoefficients Coefficients(BatchNorm2d norm)
    {
        var n = new NormCoefficients(Floats(norm.weight!), Floats(norm.bias!), norm.training);
        if (norm.training) return n;
        var mean = Floats(norm.running_mean!);
        var variance = Floats(norm.running_var!);
        for (int o = 0; o < mean.Length; o++) n.Set(o, mean[o], 1 / Math.Sqrt(variance[o] + norm.eps));
        return n;
    }

    /// <summary>PyTorch's update: count + 1, then running = (1 − f)·running + f·batch with f = momentum (or 1/count).</summary>
    private static void UpdateRunningStats(BatchNorm2d norm, double[] mean, double[] unbiasedVar)
    {
        using (torch.no_grad()) norm.num_batches_tracked!.add_(1);
        double f = norm.momentum ?? 1.0 / norm.num_batches_tracked!.item<long>();
        var rm = Span(norm.running_mean!);
        var rv = Span(norm.running_var!);
        for (int o = 0; o < mean.Length; o++)
        {
            rm[o] = (float)(f * mean[o] + (1 - f) * rm[o]);
            rv[o] = (float)(f * unbiasedVar[o] + (1 - f) * rv[o]);
        }
    }

    internal static Span<float> Span(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    private static float[] Floats(Tensor t) => Span(t).ToArray();
}

/// <summary>The fused conv block as a custom autograd function: inputs x, the ten parameters (null when unused), the
/// parts, and a list that receives the tensors the function saved for backward (for the caller to dispose).</summary>
internal sealed class ConvBlockFunction : torch.autograd.SingleTensorFunction<ConvBlockFunction>
{
    public override string Name => nameof(ConvBlockFunction);

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = ((Tensor)vars[0]).contiguous();
        var run = FusedConvBlock.Run(x, (ConvBlockParts)vars[^2], keep: true);
        List<Tensor> saved = [x, run.P!, run.Q!];
        ctx.save_for_backward(saved);
        ((List<Tensor>)vars[^1]).AddRange(saved);
        ctx.save_data("kernel", run.Kernel);
        ctx.save_data("input grad", ((Tensor)vars[0]).requires_grad);
        return run.Output;
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (x, p, q) = (saved[0], saved[1], saved[2]);
        var k = (ConvBlockKernel)ctx.get_data("kernel");
        bool inputGrad = (bool)ctx.get_data("input grad");
        using var g = grad_output.contiguous();
        var gx = inputGrad ? torch.empty(x.shape) : null;
        var grads = k.Backward(FusedConvBlock.Span(x), FusedConvBlock.Span(p), q is null ? default : FusedConvBlock.Span(q),
            FusedConvBlock.Span(g), gx is null ? default : FusedConvBlock.Span(gx));
        Tensor? T(float[]? v, params long[] shape) => v is null ? null : torch.tensor(v, shape);
        return [gx!,
            T(grads.Depthwise, k.Cin, 1, 5, 1)!, T(grads.DepthwiseBias, k.Cin)!, T(grads.Pointwise, k.Cout, k.Cin, 1, 1)!, T(grads.PointwiseBias, k.Cout)!,
            T(grads.Gamma, k.Cout)!, T(grads.Beta, k.Cout)!,
            T(grads.Shortcut, k.Cout, k.Cin, 1, 1)!, T(grads.ShortcutBias, k.Cout)!, T(grads.ShortcutGamma, k.Cout)!, T(grads.ShortcutBeta, k.Cout)!,
            null!, null!];
    }
}
