using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinierHar.Kernels;

/// <summary>
/// A single-layer, batch-first GRU (one or two directions, zero initial state) on the fast path: the input projections
/// of all steps are one <c>linear</c> per direction (autograd as usual), and the recurrence runs in
/// <see cref="GruKernel"/> as a custom autograd function, instead of hundreds of small libtorch ops per step. It reads
/// the module's own parameters, so the state_dict keys do not change.
/// </summary>
public static class FusedGru
{
    /// <summary>The outputs <c>(B, T, D·H)</c> of <paramref name="gru"/> on a float32 CPU input <c>(B, T, I)</c>, as <c>gru.call(x, null).Item1</c>.</summary>
    public static Tensor Forward(GRU gru, Tensor x)
    {
        var p = gru.named_parameters().ToDictionary(n => n.name, n => (Tensor)n.parameter);
        if (!p.ContainsKey("weight_ih_l0") || p.ContainsKey("weight_ih_l1"))
            throw new ArgumentException("the fast GRU runs single-layer GRUs only");
        var directions = p.ContainsKey("weight_ih_l0_reverse") ? new[] { "", "_reverse" } : [""];
        var outputs = directions.Select(suffix =>
        {
            using var gi = nn.functional.linear(x, p["weight_ih_l0" + suffix], p["bias_ih_l0" + suffix]);
            return Recurrence(gi, p["weight_hh_l0" + suffix], p["bias_hh_l0" + suffix], reverse: suffix != "");
        }).ToArray();
        if (outputs.Length == 1) return outputs[0];
        var joined = torch.cat(outputs, 2);
        foreach (var o in outputs) o.Dispose();
        return joined;
    }

    /// <summary>Hidden states <c>(B, T, H)</c> of one direction from its input projections <c>gi</c> <c>(B, T, 3H)</c>.</summary>
    private static Tensor Recurrence(Tensor gi, Tensor hiddenWeight, Tensor hiddenBias, bool reverse)
    {
        bool needsGrad = torch.is_grad_enabled() && (gi.requires_grad || hiddenWeight.requires_grad || hiddenBias.requires_grad);
        if (!needsGrad) return Run(gi, hiddenWeight, hiddenBias, reverse, keep: false).Output;
        var saved = new List<Tensor>();
        var h = GruFunction.apply([gi, hiddenWeight, hiddenBias, reverse, saved]);
        saved.ForEach(t => t.Dispose());
        return h;
    }

    /// <summary>One forward run: the output, and what a backward pass needs (blocked outputs and gate values).</summary>
    internal sealed record ForwardRun(Tensor Output, GruKernel Kernel, Tensor? Blocked, Tensor? Saved);

    internal static ForwardRun Run(Tensor gi, Tensor hiddenWeight, Tensor hiddenBias, bool reverse, bool keep)
    {
        int b = (int)gi.shape[0], t = (int)gi.shape[1], h = (int)hiddenWeight.shape[1];
        var kernel = new GruKernel(b, t, h, reverse, Floats(hiddenWeight), Floats(hiddenBias));
        // buffers are tensors: native memory from libtorch's heap, not large managed arrays for the GC to collect
        using var input = torch.empty(kernel.Length(3 * h));
        using (var contiguous = gi.contiguous()) kernel.ToBlocked(FusedConvBlock.Span(contiguous), 3 * h, FusedConvBlock.Span(input));
        var blocked = torch.empty(kernel.Length(h));
        var saved = keep ? torch.empty(kernel.Length(4 * h)) : null;
        kernel.Forward(FusedConvBlock.Span(input), FusedConvBlock.Span(blocked), saved is null ? default : FusedConvBlock.Span(saved));
        var output = torch.empty(b, t, h);
        kernel.FromBlocked(FusedConvBlock.Span(blocked), h, FusedConvBlock.Span(output));
        if (keep) return new ForwardRun(output, kernel, blocked, saved);
        blocked.Dispose();
        return new ForwardRun(output, kernel, null, null);
    }

    private static float[] Floats(Tensor t)
    {
        using var c = t.detach().contiguous();
        return FusedConvBlock.Span(c).ToArray();
    }
}

/// <summary>One GRU direction's recurrence as a custom autograd function: inputs gi, W_hh, b_hh, the direction, and a
/// list that receives the tensors the function saved for backward (for the caller to dispose).</summary>
internal sealed class GruFunction : torch.autograd.SingleTensorFunction<GruFunction>
{
    public override string Name => nameof(GruFunction);

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var run = FusedGru.Run((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (bool)vars[3], keep: true);
        List<Tensor> saved = [run.Blocked!, run.Saved!];
        ctx.save_for_backward(saved);
        ((List<Tensor>)vars[^1]).AddRange(saved);
        ctx.save_data("kernel", run.Kernel);
        return run.Output;
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var k = (GruKernel)ctx.get_data("kernel");
        int h = k.H;
        using var g = torch.empty(k.Length(h));
        using (var contiguous = grad_output.contiguous()) k.ToBlocked(FusedConvBlock.Span(contiguous), h, FusedConvBlock.Span(g));
        using var dgiBlocked = torch.empty(k.Length(3 * h));
        using var dghBlocked = torch.empty(k.Length(3 * h));
        k.Backward(FusedConvBlock.Span(saved[0]), FusedConvBlock.Span(saved[1]), FusedConvBlock.Span(g), FusedConvBlock.Span(dgiBlocked), FusedConvBlock.Span(dghBlocked));
        var dgi = Unblocked(k, FusedConvBlock.Span(dgiBlocked), 3 * h);
        // W_hh and b_hh: sums over samples and steps of dgh (times the state before each step), as one product
        using var dghRows = Unblocked(k, FusedConvBlock.Span(dghBlocked), 3 * h);
        using var dgh = dghRows.view(-1, 3 * h);
        using var states = Unblocked(k, FusedConvBlock.Span(saved[0]), h);
        using var zero = torch.zeros(k.B, 1, h);
        using var shifted = k.Reverse ? states.narrow(1, 1, k.T - 1) : states.narrow(1, 0, k.T - 1);
        using var previous = k.Reverse ? torch.cat([shifted, zero], 1) : torch.cat([zero, shifted], 1);
        using var previousRows = previous.view(-1, h);
        using var dghT = dgh.t();
        var dW = dghT.mm(previousRows);
        var dB = dgh.sum([0L]);
        return [dgi, dW, dB, null!, null!];
    }

    private static Tensor Unblocked(GruKernel k, ReadOnlySpan<float> blocked, int units)
    {
        var t = torch.empty(k.B, k.T, units);
        k.FromBlocked(blocked, units, FusedConvBlock.Span(t));
        return t;
    }
}
