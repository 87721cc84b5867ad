using System.Diagnostics;
using TinierHar.Export;
using TinierHar.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace TinierHar.Tests.Export;

/// <summary>
/// Compiles an exported C pair with a test driver (<c>gcc -std=c99 -O2 -Wall -Wextra -Werror</c>), runs it on windows
/// written to a binary file (float32, one window after another) and reads back the logits it writes; and computes the
/// TorchSharp eval forward (plain path, the oracle) of the same windows.
/// </summary>
internal static class CHarness
{
    /// <summary>The test driver of an export named <paramref name="prefix"/> (its header <c>{prefix}.h</c>).</summary>
    public static string Driver(string prefix)
    {
        var m = prefix.ToUpperInvariant();
        return $$"""
            /* Test driver: reads windows (T*C float32 each) from argv[1], writes K float32 logits per window to argv[2]. */
            #include <stdio.h>
            #include "{{prefix}}.h"

            int main(int argc, char **argv)
            {
                static float window[{{m}}_WINDOW * {{m}}_CHANNELS];
                float logits[{{m}}_CLASSES];
                const size_t n_in = (size_t){{m}}_WINDOW * {{m}}_CHANNELS;
                FILE *in, *out;
                if (argc != 3) return 2;
                in = fopen(argv[1], "rb");
                out = fopen(argv[2], "wb");
                if (!in || !out) return 3;
                while (fread(window, sizeof(float), n_in, in) == n_in) {
                    {{prefix}}_predict(window, logits);
                    if (fwrite(logits, sizeof(float), {{m}}_CLASSES, out) != (size_t){{m}}_CLASSES) return 4;
                }
                fclose(in);
                return fclose(out) != 0 ? 5 : 0;
            }

            """;
    }

    /// <summary>Compiles the C pair <c>{prefix}.c/.h</c> in <paramref name="dir"/> with the driver; returns the executable's path.</summary>
    public static string Compile(string dir, string prefix)
    {
        File.WriteAllText(Path.Combine(dir, "main.c"), Driver(prefix));
        var exe = Path.Combine(dir, prefix + "-test");
        Run("gcc", dir, "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-o", exe, "main.c", prefix + ".c", "-lm");
        return exe;
    }

    /// <summary>Runs the compiled driver on <paramref name="windows"/> (N,1,T,C); returns (N,K) logits.</summary>
    public static float[,] RunC(string exe, Tensor windows, int classes)
    {
        var dir = Path.GetDirectoryName(exe)!;
        var inPath = Path.Combine(dir, "windows.bin");
        var outPath = Path.Combine(dir, "logits.bin");
        using (var c = windows.to_type(ScalarType.Float32).contiguous())
        {
            var data = c.data<float>().ToArray();
            var bytes = new byte[data.Length * 4];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            File.WriteAllBytes(inPath, bytes);
        }
        Run(exe, dir, inPath, outPath);
        var raw = File.ReadAllBytes(outPath);
        int n = (int)windows.shape[0];
        Assert.Equal(n * classes * 4, raw.Length);
        var flat = new float[n * classes];
        Buffer.BlockCopy(raw, 0, flat, 0, raw.Length);
        var result = new float[n, classes];
        for (int i = 0; i < n; i++) for (int k = 0; k < classes; k++) result[i, k] = flat[i * classes + k];
        return result;
    }

    /// <summary>TorchSharp's eval forward on the plain path (no grad).</summary>
    public static float[,] RunTorch(nn.Module<Tensor, Tensor> model, Tensor windows)
    {
        model.eval();
        using var _ = torch.no_grad();
        using var plain = KernelSwitch.Plain();
        using var logits = model.call(windows);
        return ToMatrix(logits);
    }

    /// <summary>A 2-D tensor as a float matrix.</summary>
    public static float[,] ToMatrix(Tensor matrix)
    {
        using var c = matrix.to_type(ScalarType.Float32).contiguous();
        int n = (int)c.shape[0], k = (int)c.shape[1];
        var flat = c.data<float>().ToArray();
        var result = new float[n, k];
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) result[i, j] = flat[i * k + j];
        return result;
    }

    /// <summary>Largest absolute difference; also checks the shapes agree.</summary>
    public static double MaxAbsDiff(float[,] a, float[,] b)
    {
        Assert.Equal(a.GetLength(0), b.GetLength(0));
        Assert.Equal(a.GetLength(1), b.GetLength(1));
        double max = 0;
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) max = Math.Max(max, Math.Abs((double)a[i, j] - b[i, j]));
        return max;
    }

    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"tinierhar-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    static void Run(string file, string dir, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(300_000), $"{file} did not finish in 5 minutes");
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {stderr}{stdout.Result}");
    }
}
