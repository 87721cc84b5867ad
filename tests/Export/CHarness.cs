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
    /// <summary>Compiles the C pair <c>{prefix}.c/.h</c> in <paramref name="dir"/> with the checking driver; returns the executable's path.</summary>
    public static string Compile(string dir, string prefix) => HostBuild.Compile(dir, prefix);

    /// <summary>Runs the compiled driver on <paramref name="windows"/> (N,1,T,C); returns (N,K) logits.</summary>
    public static float[,] RunC(string exe, Tensor windows, int classes)
    {
        using var logits = HostBuild.Predict(exe, windows, classes);
        return ToMatrix(logits);
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

    /// <summary>
    /// Writes <paramref name="export"/> into a temporary folder, checks its declared sizes against the object file
    /// (<see cref="DeclaredBytes"/>), compiles it with the driver, runs it and TorchSharp on 16 random windows of
    /// <paramref name="shape"/> and asserts the logits agree within 1e-4 and vary between windows.
    /// </summary>
    public static void AssertMatchesTorch(CExport export, nn.Module<Tensor, Tensor> model, TinierHar.Models.InputShape shape)
    {
        var dir = TempDir("cexport-" + export.Prefix);
        try
        {
            RunExport.WriteAtomically(dir, export.Files);
            Assert.DoesNotContain("malloc(", export.Source);
            Assert.Equal(["#include <math.h>", $"#include \"{export.HeaderName}\""],
                export.Source.Split('\n').Where(l => l.StartsWith("#include", StringComparison.Ordinal)));
            Assert.Equal((export.WeightBytes, export.ActivationBytes), DeclaredBytes(dir, export.Prefix));
            var exe = Compile(dir, export.Prefix);
            using var windows = torch.randn(16, 1, shape.Window, shape.Channels);
            var expected = RunTorch(model, windows);
            var actual = RunC(exe, windows, shape.Classes);
            var diff = MaxAbsDiff(expected, actual);
            Assert.True(diff <= 1e-4, $"C logits differ from TorchSharp by {diff:E3}");
            Assert.True(Spread(expected) > 1e-3, "the logits do not vary between windows: the comparison would prove little");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Bytes of the <c>const</c> (read-only: r, R) and of the other static (b, B, d, D) data symbols of
    /// <c>{prefix}.c</c>, compiled alone at -O0 (so no constant is folded away) and listed by <c>nm -S</c>.
    /// </summary>
    public static (long Const, long Static) DeclaredBytes(string dir, string prefix)
    {
        var obj = Path.Combine(dir, prefix + "-declared.o");
        Run("gcc", dir, "-std=c99", "-O0", "-c", "-o", obj, prefix + ".c");
        var symbols = RunCapture("nm", dir, "-S", obj);
        long ro = 0, rw = 0;
        foreach (var line in symbols.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 4) continue; // undefined symbols have no address and size
            long size = Convert.ToInt64(parts[1], 16);
            if (parts[2] is "r" or "R") ro += size;
            else if (parts[2] is "b" or "B" or "d" or "D") rw += size;
        }
        File.Delete(obj);
        return (ro, rw);
    }

    /// <summary>The largest difference between any window's logits and the first window's.</summary>
    public static double Spread(float[,] a)
    {
        double max = 0;
        for (int i = 1; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) max = Math.Max(max, Math.Abs(a[i, j] - a[0, j]));
        return max;
    }

    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"tinierhar-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    static void Run(string file, string dir, params string[] args) => RunCapture(file, dir, args);

    /// <summary>Runs <paramref name="file"/> in <paramref name="dir"/>, asserts exit code 0; returns its standard output.</summary>
    static string RunCapture(string file, string dir, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(300_000), $"{file} did not finish in 5 minutes");
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {stderr}{stdout.Result}");
        return stdout.Result;
    }
}
