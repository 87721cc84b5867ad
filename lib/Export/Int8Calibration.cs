using TinierHar.Data;
using TinierHar.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Export;

/// <summary>
/// The activation ranges of a TinierHAR "full" model that its int8 C export quantises per tensor, measured on training
/// windows with the float model (eval mode, plain path): the largest absolute value of the input window
/// (<see cref="Input"/>), of each conv block's depthwise output (<see cref="Depthwise"/>, what the pointwise conv
/// reads) and of each block's output (<see cref="Blocks"/>; the last one is also the GRU input). Max-abs, not a
/// percentile: nothing is clipped on the calibration windows. The GRU outputs and the attention-pooled vector need no
/// calibration: both lie in (−1, 1) by construction.
/// </summary>
public sealed record Int8Calibration(int Windows, double Input, double[] Depthwise, double[] Blocks)
{
    /// <summary>
    /// Unit ranges for every tensor, measured on no data: for what does not depend on the ranges (the export's layout and
    /// byte counts, as in the footprint table), never for an export that will run.
    /// </summary>
    public static Int8Calibration Nominal(int blocks) => new(0, 1.0, Enumerable.Repeat(1.0, blocks).ToArray(), Enumerable.Repeat(1.0, blocks).ToArray());

    /// <summary>At most this many training windows are run.</summary>
    public const int MaxWindows = 2048;

    /// <summary>
    /// Which of <paramref name="count"/> windows to run: all of them up to <paramref name="max"/>, else
    /// <paramref name="max"/> evenly spaced ones (<c>⌊i·count/max⌋</c>), so that every part of the training set (every
    /// subject) is represented and the choice is deterministic.
    /// </summary>
    public static int[] Subset(int count, int max = MaxWindows)
    {
        if (count < 1) throw new TinierHarException("no training windows to calibrate on");
        int n = Math.Min(count, max);
        return Enumerable.Range(0, n).Select(i => (int)((long)i * count / n)).ToArray();
    }

    /// <summary>Runs <paramref name="model"/>'s conv blocks over the <see cref="Subset"/> of <paramref name="train"/>.</summary>
    public static Int8Calibration Measure(nn.Module<Tensor, Tensor> model, int blocks, PreparedPart train)
    {
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        nn.Module<Tensor, Tensor> Get(string name) =>
            modules.TryGetValue(name, out var m) && m is nn.Module<Tensor, Tensor> f ? f
                : throw new TinierHarException($"the model has no module '{name}': not a TinierHAR full model");
        var blockModules = Enumerable.Range(0, blocks).Select(i => Get($"conv_blocks.{i}")).ToArray();
        var depthwise = Enumerable.Range(0, blocks).Select(i => Get($"conv_blocks.{i}.conv.0.depthwise")).ToArray();
        var subset = Subset(train.Count);
        double input = 0;
        var dw = new double[blocks];
        var outputs = new double[blocks];
        model.eval();
        using var _ = torch.no_grad();
        using var plain = KernelSwitch.Plain();
        const int batch = 256;
        int size = train.T * train.C;
        for (int start = 0; start < subset.Length; start += batch)
        {
            int n = Math.Min(batch, subset.Length - start);
            var x = new float[n * size];
            for (int i = 0; i < n; i++) train.Window(subset[start + i]).CopyTo(x.AsSpan(i * size, size));
            using var scope = NewDisposeScope();
            var h = torch.tensor(x, [n, 1, train.T, train.C]);
            input = Math.Max(input, MaxAbs(h));
            for (int b = 0; b < blocks; b++)
            {
                dw[b] = Math.Max(dw[b], MaxAbs(depthwise[b].call(h)));
                h = blockModules[b].call(h);
                outputs[b] = Math.Max(outputs[b], MaxAbs(h));
            }
        }
        return new Int8Calibration(subset.Length, input, dw, outputs);
    }

    static double MaxAbs(Tensor t) => t.abs().max().ToSingle();
}
