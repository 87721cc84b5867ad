using System.Diagnostics;
using TinierHar.Models;
using static TorchSharp.torch;

namespace TinierHar.Export;

/// <summary>
/// Batch-1 inference latency of a model in TorchSharp (eval, no grad, on the library's engine, at the current torch
/// thread count): the median over 7 blocks of the mean time per window, in microseconds. The exported C's counterpart
/// is <see cref="HostBuild.LatencyMicroseconds"/>; both time one fixed window, so they compare like with like.
/// </summary>
public static class Latency
{
    /// <summary>Times <paramref name="model"/> on one random window of <paramref name="shape"/>; blocks of about <paramref name="blockSeconds"/>.</summary>
    public static double TorchSharpMicroseconds(nn.Module<Tensor, Tensor> model, InputShape shape, double blockSeconds = 0.3)
    {
        model.eval();
        using var _ = no_grad();
        using var x = randn(1, 1, shape.Window, shape.Channels);
        void Once() { using var y = model.call(x); }
        for (int i = 0; i < 20; i++) Once();
        var sw = Stopwatch.StartNew();
        int reps = 0;
        while (sw.Elapsed.TotalSeconds < blockSeconds) { Once(); reps++; }
        var blocks = new double[7];
        for (int b = 0; b < blocks.Length; b++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            sw.Restart();
            for (int i = 0; i < reps; i++) Once();
            blocks[b] = sw.Elapsed.TotalMicroseconds / reps;
        }
        Array.Sort(blocks);
        return blocks[blocks.Length / 2];
    }
}
